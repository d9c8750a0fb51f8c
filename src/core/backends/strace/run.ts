// Running strace on a command or on pids, parsing its log as it grows.
//
// strace writes its log with -o to a file in a private temp directory, which is
// read every POLL_MS while strace runs (a temp file, not a pipe: strace's own
// stdout and stderr are the traced command's, and a FIFO would block the reader
// forever if strace died before opening it). The file is removed at the end.
// No privileges are needed for a command we start or for our own processes
// (ptrace rules: same uid, and with Yama ptrace_scope 1 only descendants for -p).
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { execa, type ResultPromise } from 'execa';
import { BackendError, PermissionError } from '../../errors.js';
import { NO_FILTERS } from '../../capture/meta.js';
import type { CaptureMeta, CaptureSource, EventBatch } from '../../model/events.js';
import type { Profile, StopReason } from '../../model/profile.js';
import type { TraceTarget } from '../types.js';
import { straceArgv } from './options.js';
import { StraceParser } from './parse.js';
import type { StraceProblems } from './problems.js';
import { ProfileBuilder } from '../events-profile.js';
import { hostArch } from '../../model/syscall-names.js';

const POLL_MS = 50;
const CHUNK = 1 << 20;
const STDERR_KEPT = 4096;
// strace can hang detaching from a process that is forking (seen with strace 6.1
// and -p on a shell loop: it ignores SIGINT and SIGTERM then); SIGKILL after this
// long makes the kernel detach every tracee
const KILL_AFTER_MS = 2000;

// What to trace with strace.
export interface StraceRunOptions {
  // a command (argv) or pids; other kinds need eBPF
  readonly target: TraceTarget;
  // follow forks and threads (strace -f)
  readonly follow: boolean;
  // stop after this many seconds (SIGINT to strace, which detaches); null: until the target ends
  readonly durationSec: number | null;
  // where the traced command's stdout goes (default: ours)
  readonly commandStdout?: 'inherit' | 'stderr';
  // the strace binary (default "strace" from PATH)
  readonly strace?: string;
  readonly batchRows?: number;
  // aborting stops tracing early, as stop() does (strace detaches on SIGINT)
  readonly signal?: AbortSignal;
}

// A running strace: its batches as they are parsed, then the final Profile.
export interface StraceRun extends CaptureSource {
  final(): { readonly meta: CaptureMeta; readonly profile: Profile };
  problems(): StraceProblems;
  // Stops tracing early (as --duration does).
  stop(): void;
}

// Throws BackendError unless strace runs (naming the package that provides it).
export async function assertStraceInstalled(strace = 'strace'): Promise<void> {
  try {
    await execa(strace, ['-V']);
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ENOENT';
    throw new BackendError(
      missing ? `${strace} is not installed (apt-get install strace)` : `${strace} -V failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

// Starts strace on the target; iterate `batches` (once) to run it to the end.
export async function runStrace(options: StraceRunOptions): Promise<StraceRun> {
  const bin = options.strace ?? 'strace';
  await assertStraceInstalled(bin);
  return new Run(bin, options);
}

class Run implements StraceRun {
  meta: CaptureMeta;
  private readonly dir: string;
  private readonly logPath: string;
  private readonly child: ResultPromise<{ reject: false; stdin: 'inherit'; stdout: 'inherit' | 2; stderr: 'pipe' }>;
  private readonly parser: StraceParser;
  private readonly builder = new ProfileBuilder();
  private readonly startedAt = new Date();
  private stderrTail = '';
  private exited = false;
  private stopReason: StopReason | null = null;
  private timer: NodeJS.Timeout | null = null;
  private consumed = false;
  private lineNo = 0;
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly onAbort = (): void => this.stop();

  constructor(
    bin: string,
    private readonly options: StraceRunOptions,
  ) {
    const t = options.target;
    this.dir = mkdtempSync(join(tmpdir(), 'syscall-prof-strace-'));
    this.logPath = join(this.dir, 'strace.log');
    const singlePid = t.kind === 'pids' && t.pids.length === 1 ? t.pids[0]! : undefined;
    this.parser = new StraceParser({
      ...(options.batchRows === undefined ? {} : { batchRows: options.batchRows }),
      ...(singlePid === undefined ? {} : { defaultTid: singlePid }),
    });
    this.meta = {
      backend: 'strace',
      arch: hostArch(),
      target: describe(t, options.follow),
      startRealNs: '0',
      durationNs: null,
      lostEvents: 0,
      filters: NO_FILTERS,
    };
    let argv: string[];
    try {
      argv = straceArgv(t, options.follow, this.logPath);
    } catch (err) {
      rmSync(this.dir, { recursive: true, force: true });
      throw err;
    }
    this.child = execa(bin, argv, {
      reject: false,
      stdin: 'inherit',
      stdout: options.commandStdout === 'stderr' ? 2 : 'inherit',
      stderr: 'pipe',
    });
    // strace's messages and the command's stderr: passed on, the tail kept for errors
    this.child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    void this.child.then(() => {
      this.exited = true;
    });
    if (options.durationSec !== null) {
      this.timer = setTimeout(() => {
        this.stopReason = 'duration';
        this.stop();
      }, options.durationSec * 1000);
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted === true) this.stop();
  }

  get batches(): AsyncIterable<EventBatch> {
    return { [Symbol.asyncIterator]: () => this.iterate() };
  }

  stop(): void {
    this.stopReason ??= 'signal';
    this.interrupt();
  }

  // SIGINT (strace detaches and exits), SIGKILL if it is still there KILL_AFTER_MS later
  private interrupt(): void {
    if (this.exited) return;
    this.child.kill('SIGINT');
    const killer = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    void this.child.finally(() => clearTimeout(killer));
  }

  problems(): StraceProblems {
    return this.parser.problems();
  }

  final(): { readonly meta: CaptureMeta; readonly profile: Profile } {
    const facts = this.parser.facts();
    const p = this.parser.problems();
    const meta: CaptureMeta = { ...this.meta, startRealNs: facts.startRealNs, durationNs: facts.durationNs };
    const t = this.options.target;
    const profile = this.builder.build({
      backend: 'strace',
      target: t.kind === 'command' ? { kind: 'command', argv: t.argv, follow: this.options.follow } : t.kind === 'pids' ? { kind: 'pids', pids: t.pids, follow: this.options.follow } : { kind: 'all', follow: false },
      startedAt: facts.startRealNs === '0' ? this.startedAt : new Date(Number(BigInt(facts.startRealNs) / 1_000_000n)),
      durationNs: facts.durationNs,
      final: true,
      inFlight: facts.inFlight,
      health: { missedStarts: p.unmatchedResumes },
      exit: facts.exit,
      stopReason: this.stopReason ?? (facts.exit !== null ? 'target-exit' : 'unknown'),
    });
    return { meta, profile };
  }

  private async *iterate(): AsyncGenerator<EventBatch> {
    if (this.consumed) throw new Error('strace batches can be read only once');
    this.consumed = true;
    let fd: number | null = null;
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    try {
      for (;;) {
        const done = this.exited;
        fd ??= tryOpen(this.logPath);
        if (fd !== null) {
          for (;;) {
            const n = readSync(fd, buf, 0, buf.length, pos);
            if (n === 0) break;
            pos += n;
            this.feed(this.decoder.write(buf.subarray(0, n)));
            for (const b of this.parser.drain()) yield this.counted(b);
          }
        }
        if (done) break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      if (this.partial !== '') this.parser.push(this.partial, ++this.lineNo);
      this.partial = '';
      for (const b of this.parser.finish()) yield this.counted(b);
      await this.checkExit();
    } finally {
      if (this.timer !== null) clearTimeout(this.timer);
      this.options.signal?.removeEventListener('abort', this.onAbort);
      this.interrupt();
      if (fd !== null) closeSync(fd);
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private feed(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.parser.push(line, ++this.lineNo);
  }

  private counted(b: EventBatch): EventBatch {
    this.builder.add(b);
    return b;
  }

  // strace's own failures (cannot attach, cannot run the command) as typed errors
  private async checkExit(): Promise<void> {
    const result = await this.child;
    if (this.parser.lineCount > 0 || this.stopReason !== null) return;
    const message = this.stderrTail.trim().split('\n').filter((l) => l.startsWith('strace: ')).pop();
    if (message === undefined) return;
    if (/Operation not permitted|EPERM/.test(message)) {
      throw new PermissionError(`${message} (strace can attach only to your own processes; with Yama ptrace_scope 1, only to its descendants)`);
    }
    throw new BackendError(`${message} (strace exit ${result.exitCode ?? result.signal ?? '?'})`);
  }
}

function tryOpen(path: string): number | null {
  try {
    return openSync(path, 'r');
  } catch {
    return null;
  }
}

function describe(t: TraceTarget, follow: boolean): string {
  const children = follow ? ', with children' : '';
  if (t.kind === 'command') return `command: ${t.argv.join(' ')}${children}`;
  if (t.kind === 'pids') return `${t.pids.length === 1 ? 'pid' : 'pids'} ${t.pids.join(', ')}${children}`;
  return t.kind;
}
