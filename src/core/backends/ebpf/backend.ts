// The eBPF backend: runs the loader, reads its frame stream, returns the final Profile.
import { accessSync, constants, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { finished } from 'node:stream/promises';
import { execa } from 'execa';
import { BackendError, PermissionError, UsageError } from '../../errors.js';
import type { Profile } from '../../model/profile.js';
import { loaderFix, loaderPath } from '../../paths.js';
import type { Backend, SnapshotListener } from '../types.js';
import { CHILD_STDERR_FD, CHILD_STDIN_FD, LOADER_STOPS_ON_STDIN_EOF, loaderArgs, stopChannelArgs } from './args.js';
import { EBPF_BACKEND } from '../../wire/convert.js';
import type { EventListener, StartListener } from '../../wire/event-types.js';
import { FrameReader } from '../../wire/frame-reader.js';
import { LastLine, StderrRelay } from './last-line.js';
import { assertCanTraceWithEbpf } from './privileges.js';
import type { EbpfTraceRequest } from './request.js';
import { LoaderStop } from './stop.js';
import { FrameSession } from '../../wire/session.js';
import { decodeFrame } from '../../wire/wire.js';

// Knobs for tests and embedding; the defaults are what the CLI wants.
export interface EbpfBackendOptions {
  // loader binary; default: $SYSCALL_PROF_LOADER or the built one
  readonly loader?: string;
  // refuse early without root/capabilities (default true)
  readonly checkPrivileges?: boolean;
  // where the loader's stderr is forwarded (default: our stderr)
  readonly stderr?: NodeJS.WritableStream;
  // event mode (request.events): receives every event batch as it streams in,
  // synchronously, in order; throwing stops the trace with that error
  readonly onEvents?: EventListener;
  // receives what the stream's header says (arch, target, exact start time, filters)
  readonly onStart?: StartListener;
  // receives the loader's stdout bytes as they come, before decoding (an spb
  // capture writer copies them through); throwing stops the trace
  readonly onRawChunk?: (chunk: Buffer) => void;
  // aborting stops the trace cleanly: the loader sends its final snapshot,
  // which traceWithEbpf returns (stopReason 'signal')
  readonly signal?: AbortSignal;
  // how a stop reaches the loader: EOF on its stdin (--stop-on-stdin-eof), or
  // SIGTERM (default: LOADER_STOPS_ON_STDIN_EOF)
  readonly stopOnStdinEof?: boolean;
}

const SOURCE = 'loader stdout';

// The eBPF backend as a Backend.
export function ebpfBackend(options: EbpfBackendOptions = {}): Backend {
  return {
    name: EBPF_BACKEND,
    trace: (request, trace = {}) => traceWithEbpf(request, trace.onSnapshot, trace.signal === undefined ? options : { ...options, signal: trace.signal }),
  };
}

// Runs one trace with the loader until the target exits, the duration passes
// or options.signal aborts (the final snapshot still counts). It installs no
// signal handler: the caller decides what stops a trace.
export async function traceWithEbpf(
  request: EbpfTraceRequest,
  onSnapshot?: SnapshotListener,
  options: EbpfBackendOptions = {},
): Promise<Profile> {
  options.signal?.throwIfAborted();
  const stdinEof = options.stopOnStdinEof ?? LOADER_STOPS_ON_STDIN_EOF;
  // the command reads our stdin through the loader, whose own stdin is then the stop channel
  const passStdin = stdinEof && request.target.kind === 'command' && request.commandStdin === 'inherit';
  // the command writes to our stderr itself, not through the loader's pipe: a
  // command that outlives a dead loader must not hold that pipe open (when a
  // caller takes the loader's stderr as a stream, the command's goes there too)
  const passStderr = request.target.kind === 'command' && options.stderr === undefined;
  const args = [
    ...stopChannelArgs(stdinEof),
    ...(passStdin ? ['--child-stdin-fd', String(CHILD_STDIN_FD)] : []),
    ...(passStderr ? ['--child-stderr-fd', String(CHILD_STDERR_FD)] : []),
    ...loaderArgs(request),
  ];
  if (options.checkPrivileges ?? true) assertCanTraceWithEbpf();
  const loader = options.loader ?? loaderPath();
  try {
    accessSync(loader, constants.X_OK);
  } catch (err) {
    throw new BackendError(`the eBPF loader ${loader} is missing or not executable: ${loaderFix()}`, { cause: err });
  }

  const passStdout = request.target.kind === 'command' && request.commandStdout === 'inherit';
  // with the stop channel, the loader's stdin is ours to close
  const stdin = stdinEof ? 'pipe' : 'inherit';
  const child = execa(loader, args, {
    stdio: [stdin, 'pipe', 'pipe', passStdout ? 1 : 'ignore', passStdin ? 0 : 'ignore', passStderr ? 2 : 'ignore'],
    encoding: 'buffer',
    buffer: false,
    reject: false,
    cleanup: true,
    forceKillAfterDelay: 5000,
  });

  const tail = new LastLine();
  const relay = new StderrRelay(options.stderr ?? process.stderr);
  child.stderr.on('data', (chunk: Buffer) => {
    relay.push(chunk);
    tail.push(chunk);
  });
  const stderrDone = finished(child.stderr).catch(() => undefined);

  const stopper = new LoaderStop(child, stdinEof);
  options.signal?.addEventListener('abort', stopper.stop, { once: true });

  const session = new FrameSession(SOURCE, {
    ...(options.onEvents === undefined ? {} : { onEvents: options.onEvents }),
    onStart: (start) => {
      relay.goLive();
      options.onStart?.(start);
    },
  });
  let streamError: unknown = null;
  let killedByUs = false;
  try {
    const reader = new FrameReader(decodeFrame, { source: SOURCE });
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        options.onRawChunk?.(chunk);
        for (const frame of reader.push(chunk)) {
          const profile = session.accept(frame);
          if (profile !== null) onSnapshot?.(profile);
        }
      }
      reader.end();
    } catch (err) {
      streamError = err;
      killedByUs = child.kill('SIGTERM');
    }
    const result = await child;
    await stderrDone;

    const last = stripProgramName(tail.line, basename(loader));
    // a failure's message repeats the loader's last line: said once, by the error
    relay.end(result.exitCode === 0 && result.signal === undefined ? null : last === '' ? null : last);
    // a loader that died cannot end the command it started: we do, as it would have
    if ((result.signal !== undefined || !session.finished) && request.target.kind === 'command') {
      await endCommandGroup(session.header?.pids[0] ?? null);
    }
    if (streamError !== null && killedByUs) throw streamError;
    if (result.signal !== undefined) {
      throw new BackendError(`the eBPF loader was killed by ${result.signal}${suffix(last)}`);
    }
    if (result.exitCode === undefined) {
      throw new BackendError(`cannot run the eBPF loader ${loader}: ${result.originalMessage ?? 'unknown error'}`, {
        cause: result.cause,
      });
    }
    switch (result.exitCode) {
      case 0:
        break;
      case 2:
        throw new UsageError(last !== '' ? last : 'the eBPF loader rejected its arguments');
      case 4:
        throw new PermissionError(last !== '' ? `permission denied: ${last}` : 'permission denied: run it with sudo');
      default:
        throw new BackendError(`the eBPF loader failed (exit ${result.exitCode})${suffix(last)}`);
    }
    if (streamError !== null) throw streamError;
    if (!session.finished || session.last === null) {
      throw new BackendError(`the eBPF loader exited without a final snapshot${suffix(last)}`);
    }
    return session.last;
  } finally {
    options.signal?.removeEventListener('abort', stopper.stop);
    stopper.dispose();
  }
}

// SIGTERM to the command's process group (the loader made it its leader), SIGKILL after 1 s.
async function endCommandGroup(pid: number | null): Promise<void> {
  if (pid === null || pid <= 1 || !leadsItsGroup(pid)) return;
  const signal = (sig: NodeJS.Signals): boolean => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal('SIGTERM')) return;
  for (let waited = 0; waited < 1000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (!leadsItsGroup(pid)) return;
  }
  signal('SIGKILL');
}

// Whether pid is alive and the leader of its process group (the command, not a reused pid).
function leadsItsGroup(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && Number(fields[2]) === pid;
  } catch {
    return false;
  }
}

function suffix(line: string): string {
  return line === '' ? '' : `: ${line}`;
}

// "syscall-prof-loader: no such process 42" -> "no such process 42"
function stripProgramName(line: string, program: string): string {
  for (const name of ['syscall-prof-loader', program]) {
    if (line.startsWith(`${name}: `)) return line.slice(name.length + 2);
  }
  return line;
}
