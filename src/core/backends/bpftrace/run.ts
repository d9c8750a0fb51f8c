// Running bpftrace with the generated script for a TraceRequest, and reading its output back.
//
// `bpftrace -o FILE script -c CMD` for a command (the predicate is `pid == cpid`:
// children are not followed), a pid predicate for pids, `cgroupid()` for a cgroup;
// our duration limit stops bpftrace with SIGINT.
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { runTool } from '../run-tool.js';
import type { TraceRequest } from '../types.js';
import type { Profile, Target, TargetExit } from '../../model/profile.js';
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

// bpftrace's warning that it could not raise RLIMIT_MEMLOCK (needless since Linux 5.11)
const RLIMIT_NOISE = /RLIMIT_MEMLOCK/;

// A finished bpftrace run: its events (read once) and their final Profile.
export interface BpftraceRun {
  readonly capture: BpftraceCapture;
  readonly profile: Profile;
}

// bpftrace -c takes one string and splits it at spaces, without quotes or a
// shell, and wants the program as a path to one ELF binary (a name found twice
// on a merged-/usr PATH, /bin/ls and /usr/bin/ls, is refused): the program is
// resolved here, and arguments bpftrace cannot carry are a usage error.
export function bpftraceCommand(argv: readonly string[], resolve: (name: string) => string | null = resolveProgram): string {
  const program = resolve(argv[0] ?? '');
  if (program === null) throw new UsageError(`${argv[0] ?? ''}: command not found or not executable`);
  const bad = argv.slice(1).find((a) => a === '' || /[\s'"\\]/.test(a));
  if (bad !== undefined) {
    throw new UsageError(`bpftrace cannot pass the argument ${JSON.stringify(bad)} to a command (its -c splits at spaces, without quoting): use --backend ebpf, or a wrapper script`);
  }
  return [program, ...argv.slice(1)].join(' ');
}

// The real path of a program as execvp would find it; null when none.
export function resolveProgram(name: string): string | null {
  const candidates = name.includes('/') ? [name] : (process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((d) => join(d === '' ? '.' : d, name));
  for (const c of candidates) {
    try {
      if (!statSync(c).isFile()) continue;
      accessSync(c, constants.X_OK);
      return realpathSync(c);
    } catch {
      // next
    }
  }
  return null;
}

// The bpftrace command line (without the binary) for a script file and output file.
export function bpftraceArgs(request: TraceRequest, scriptPath: string, logPath: string): string[] {
  const args = ['-o', logPath, scriptPath];
  if (request.target.kind === 'command') args.push('-c', bpftraceCommand(request.target.argv));
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
  // bpftrace warns about RLIMIT_MEMLOCK on every run on kernels that account BPF memory to cgroups: noise
  const run = await runTool(opts.bpftrace ?? 'bpftrace', bpftraceArgs(request, script, log), request, signal, RLIMIT_NOISE);
  const { stopReason } = run;
  if (run.failed) {
    rmSync(dir, { recursive: true, force: true });
    // bpftrace warns (RLIMIT_MEMLOCK) even when it works: the script's own error comes later
    const real = run.stderr.split('\n').filter((l) => !RLIMIT_NOISE.test(l)).join('\n');
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
  // the log's stats are complete once its events were read
  const profile: Profile = { ...events, exit: exitOf(counted.stats.exitCode), health: { ...events.health, lostEvents: counted.stats.lostEvents } };
  return { capture, profile };
}

// The command's exit as the model says it, from its task exit_code.
function exitOf(exitCode: number | null, pid = 0): TargetExit | null {
  if (exitCode === null) return null;
  const signal = exitCode & 0x7f;
  return signal === 0 ? { pid, kind: 'exited', code: (exitCode >> 8) & 0xff } : { pid, kind: 'killed', signal };
}
