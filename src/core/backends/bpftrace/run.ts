// Running bpftrace with the generated script for a TraceRequest, and reading its output back.
//
// `bpftrace -o FILE script -c CMD` for a command (the predicate is `pid == cpid`:
// children are not followed), a pid predicate for pids, `cgroupid()` for a cgroup;
// our duration limit stops bpftrace with SIGINT.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../run-tool.js';
import type { TraceRequest } from '../types.js';
import type { Profile, Target } from '../../model/profile.js';
import { eventsToProfile } from '../perf/profile.js';
import { toolError } from '../perf/tool-error.js';
import { ensureTracefs } from '../perf/tracefs.js';
import { openBpftraceLog, type BpftraceCapture } from './open.js';
import { bpftraceScript } from './script.js';

// How to run bpftrace besides the request.
export interface BpftraceRunOptions {
  readonly minDurationNs?: number;
  // the bpftrace binary (default "bpftrace" on PATH)
  readonly bpftrace?: string;
}

// A finished bpftrace run: its events (read once) and their final Profile.
export interface BpftraceRun {
  readonly capture: BpftraceCapture;
  readonly profile: Profile;
}

// One shell word (bpftrace -c takes a single command string).
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// The bpftrace command line (without the binary) for a script file and output file.
export function bpftraceArgs(request: TraceRequest, scriptPath: string, logPath: string): string[] {
  const args = ['-o', logPath, scriptPath];
  if (request.target.kind === 'command') args.push('-c', request.target.argv.map(shellWord).join(' '));
  return args;
}

// Traces with bpftrace until the command exits, the duration passes, or `signal`
// aborts; mounts tracefs first when root and needed. BackendError when bpftrace
// is missing or the script does not compile or attach (its first ERROR line).
export async function runBpftrace(request: TraceRequest, opts: BpftraceRunOptions = {}, signal?: AbortSignal): Promise<BpftraceRun> {
  await ensureTracefs();
  const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-bpftrace-'));
  const script = join(dir, 'trace.bt');
  const log = join(dir, 'trace.txt');
  writeFileSync(script, bpftraceScript(request.target, opts.minDurationNs));
  const startedAt = new Date();
  const run = await runTool(opts.bpftrace ?? 'bpftrace', bpftraceArgs(request, script, log), request, signal);
  const { stopReason } = run;
  if (run.failed) {
    rmSync(dir, { recursive: true, force: true });
    // bpftrace warns (RLIMIT_MEMLOCK) even when it works: the script's own error comes later
    const real = run.stderr.split('\n').filter((l) => !/RLIMIT_MEMLOCK/.test(l)).join('\n');
    throw toolError('bpftrace', 'install bpftrace (apt install bpftrace)', { code: run.spawnCode, exitCode: run.result.exitCode, stderr: real, cause: run.result });
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const t = request.target;
  const target = t.kind === 'command' ? `command: ${t.argv.join(' ')}` : t.kind === 'pids' ? `pid ${t.pids.join(',')}` : t.kind === 'cgroup' ? `cgroup ${t.path}` : 'all';
  const filters = { syscalls: null, minDurationNs: opts.minDurationNs ?? 0, failedOnly: false };
  const capture = openBpftraceLog(log, { target, filters, startRealNs: (BigInt(startedAt.getTime()) * 1_000_000n).toString() });
  const counted = openBpftraceLog(log, { target });
  const events = await eventsToProfile(counted.batches, {
    backend: 'bpftrace',
    target: { ...t, follow: false } as Target,
    startedAt,
    durationNs: (Date.now() - startedAt.getTime()) * 1e6,
    lostEvents: 0,
    missedStarts: 0,
    exit: null,
    stopReason,
  });
  const profile: Profile = { ...events, health: { ...events.health, lostEvents: counted.stats.lostEvents } };
  return { capture, profile };
}
