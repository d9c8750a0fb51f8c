// Stopping a running loader when the caller aborts the trace.

// After ending the loader's stdin, how long it has to stop before SIGTERM.
export const STDIN_STOP_GRACE_MS = 2000;

// What LoaderStop needs of the loader's process (an execa subprocess).
export interface StoppableLoader {
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
    // the loader runs with --stop-on-stdin-eof
    private readonly stdinEof: boolean,
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

  // SIGTERM: the loader sends its final snapshot and ends the process group
  // of a command it started, as on a stop through its stdin
  private terminate(): void {
    this.loader.kill('SIGTERM');
  }
}
