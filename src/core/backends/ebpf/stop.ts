// Stopping a running loader when the caller aborts the trace.
import { childPids } from '../../system/proc-children.js';

// After ending the loader's stdin, how long it has to stop before SIGTERM.
export const STDIN_STOP_GRACE_MS = 2000;

// What LoaderStop needs of the loader's process (an execa subprocess).
export interface StoppableLoader {
  readonly pid?: number | undefined;
  readonly stdin: NodeJS.WritableStream | null;
  kill(signal: NodeJS.Signals): boolean;
}

// Stops the loader once: through its stop channel (EOF on stdin, SIGTERM after
// STDIN_STOP_GRACE_MS if it is still there), or with SIGTERM when it has none.
export class LoaderStop {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly loader: StoppableLoader,
    // the loader runs with --stop-on-stdin-eof (and owns its command's process group)
    private readonly stdinEof: boolean,
    // the loader started the traced command
    private readonly startedCommand: boolean,
  ) {}

  // Asks the loader to stop; it still sends its final snapshot.
  readonly stop = (): void => {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.stdinEof) return this.terminate();
    this.loader.stdin?.end();
    this.timer = setTimeout(() => this.terminate(), STDIN_STOP_GRACE_MS);
  };

  // The loader exited: no fallback is due.
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private terminate(): void {
    // without the stop channel the loader leaves a command it started running
    // on a signal (a terminal's Ctrl-C reaches the command too); a stop by the
    // caller ends it as well, or its inherited pipes keep the caller waiting.
    // The loader's children are that command; they are listed before the
    // loader is told to stop, as once it exits they are no longer its children.
    const command = this.stdinEof || !this.startedCommand || this.loader.pid === undefined ? [] : childPids(this.loader.pid);
    this.loader.kill('SIGTERM');
    for (const pid of command) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}
