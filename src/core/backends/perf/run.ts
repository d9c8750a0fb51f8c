// Running `perf trace` for a TraceRequest and reading its log back as events and a Profile.
//
// perf trace writes its decoded text to `-o FILE` (the traced command keeps
// stdout and stderr). Options: children are followed by default (perf's events
// are inherited), `--no-inherit` when the request does not follow; `-p` for
// pids, `-a` (and `-G` for a cgroup) system-wide, `-- CMD` for a command;
// `--duration MS` is perf's *minimum call duration* filter, fed from
// minDurationNs; our own duration limit stops perf with SIGINT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../run-tool.js';
import type { TraceRequest } from '../types.js';
import type { Profile, Target } from '../../model/profile.js';
import { openPerfTraceLog, type PerfTraceCapture } from './open.js';
import { eventsToProfile } from './profile.js';
import { toolError } from './tool-error.js';
import { ensureTracefs } from './tracefs.js';

// How to run perf besides the request.
export interface PerfRunOptions {
  // only calls at least this long (perf --duration, in ms with µs precision)
  readonly minDurationNs?: number;
  // the perf binary (default "perf" on PATH)
  readonly perf?: string;
  // the ring buffer size in pages (perf -m); default perf's own
  readonly mmapPages?: number;
}

// A finished perf run: its events (read from the log, once) and the final Profile of them.
export interface PerfRun {
  readonly capture: PerfTraceCapture;
  readonly profile: Profile;
}

// The perf command line for a request (without the binary).
export function perfTraceArgs(request: TraceRequest, logPath: string, opts: PerfRunOptions = {}): string[] {
  const args = ['trace', '-o', logPath];
  if (!request.follow) args.push('--no-inherit');
  if (opts.mmapPages !== undefined) args.push('-m', String(opts.mmapPages));
  if ((opts.minDurationNs ?? 0) > 0) args.push('--duration', (opts.minDurationNs! / 1e6).toFixed(6));
  const t = request.target;
  switch (t.kind) {
    case 'all':
      args.push('-a');
      break;
    case 'cgroup':
      args.push('-a', '-G', t.path);
      break;
    case 'pids':
      args.push('-p', t.pids.join(','));
      break;
    case 'command':
      args.push('--', ...t.argv);
      break;
  }
  return args;
}

// Traces with perf until the command exits, the duration passes, or `signal`
// aborts (each stops perf with SIGINT); mounts tracefs first when root and
// needed. BackendError when perf is missing, not permitted or fails.
export async function runPerfTrace(request: TraceRequest, opts: PerfRunOptions = {}, signal?: AbortSignal): Promise<PerfRun> {
  await ensureTracefs();
  const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-perf-'));
  const log = join(dir, 'trace.txt');
  const startedAt = new Date();
  const run = await runTool(opts.perf ?? 'perf', perfTraceArgs(request, log, opts), request, signal);
  const { stopReason } = run;
  if (run.failed) {
    rmSync(dir, { recursive: true, force: true });
    throw toolError('perf trace', 'install perf (apt install linux-perf, or linux-tools-$(uname -r))', {
      code: run.spawnCode,
      exitCode: run.result.exitCode,
      stderr: run.stderr,
      cause: run.result,
    });
  }
  const target = describe(request);
  const capture = openPerfTraceLog(log, {
    target,
    startRealNs: (BigInt(startedAt.getTime()) * 1_000_000n).toString(),
    filters: { syscalls: null, minDurationNs: opts.minDurationNs ?? 0, failedOnly: false },
  });
  // the profile reads the log once; the caller gets a fresh capture of the same file
  const profileCapture = openPerfTraceLog(log, { target });
  try {
    const events = await eventsToProfile(profileCapture.batches, {
      backend: 'perf',
      target: modelTarget(request),
      startedAt,
      durationNs: Date.now() * 1e6 - startedAt.getTime() * 1e6,
      lostEvents: 0,
      missedStarts: 0,
      exit: null,
      stopReason,
    });
    const st = profileCapture.stats;
    const profile: Profile = {
      ...events,
      // a command's status from its own exit_group (null when killed by a signal: no exit_group)
      exit: request.target.kind === 'command' && st.firstTidExit !== null ? { pid: st.firstTid!, kind: 'exited', code: st.firstTidExit } : null,
      health: { ...events.health, lostEvents: st.lostEvents, missedStarts: st.missedStarts },
    };
    return { capture, profile };
  } finally {
    // the log stays until the capture has been read: removed with the temp dir at exit
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
}

function describe(request: TraceRequest): string {
  const t = request.target;
  switch (t.kind) {
    case 'all':
      return 'all';
    case 'cgroup':
      return `cgroup ${t.path}`;
    case 'pids':
      return `pid ${t.pids.join(',')}`;
    case 'command':
      return `command: ${t.argv.join(' ')}`;
  }
}

function modelTarget(request: TraceRequest): Target {
  return { ...request.target, follow: request.follow } as Target;
}
