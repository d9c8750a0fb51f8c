// `syscall-prof sweep`: the seed's load-level experiment in one command. For
// each level, start stress-ng with that many workers, trace the target into
// one capture (with the machine's measured load in its trailer), stop the
// load; then compare the levels.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from 'commander';
import { compareCaptures, DEFAULT_COMPARE_SYSCALLS } from '../core/analysis/compare.js';
import type { CaptureAnalysis } from '../core/analysis/capture.js';
import { OutputError } from '../core/capture/atomic-file.js';
import { BackendError, UsageError } from '../core/errors.js';
import type { LoadLevel } from '../core/model/load.js';
import { describeLoad, startLoad, type RunningLoad, type StressKind } from '../core/system/load-generator.js';
import { loadBetween, readLoadSample } from '../core/system/pressure.js';
import { readCapture } from './analyze-input.js';
import { writeComparison } from './compare.js';
import type { Io } from './io.js';
import { abortOnStopSignals } from './stop-signals.js';
import { captureTrace } from './trace-capture.js';
import { planTrace, type TracePlan } from './trace-options.js';

// `sweep` options as commander parses them.
export interface SweepFlags {
  readonly command?: string;
  readonly pid?: number[];
  readonly cgroup?: string;
  readonly duration?: number;
  readonly levels: number[];
  readonly stress: StressKind;
  readonly labels?: string[];
  readonly outputDir?: string;
  readonly warmup?: number;
  readonly syscalls?: string[];
  readonly top?: number;
}

// Seconds the load runs before each trace starts, so the trace sees it settled.
export const DEFAULT_WARMUP_SEC = 1;

// stress-ng stops itself this long after a level should have ended (a bound
// if we die without stopping it); a --command without --duration may run up to an hour.
const LOAD_BOUND_SEC = 3600;

// Shown after `sweep --help`.
export const SWEEP_HELP_AFTER = `
For each level (a number of stress-ng workers; 0 is no load) the sweep starts
stress-ng, waits --warmup seconds, traces the target into DIR/<n>-<label>.spb,
and stops the load; then it compares the levels (as \`compare\`) into
DIR/compare.md with its charts, and prints the comparison. Each capture records
how loaded the machine really was while it ran: CPU busy from /proc/stat and
the stall shares of /proc/pressure (cpu, io, memory).

--stress cpu spins, io writes and syncs files in a private temporary folder
(stress-ng --hdd), vm touches 256 MiB per worker, mixed splits the workers
across the three. The target is traced anew at each level: a --command runs
once per level (it should do a fixed amount of work), a --pid or --cgroup is
traced for --duration seconds. Ctrl-C stops the level under way, keeps its
capture, and compares what is done.

DIR defaults to ./sweep-<date>-<time>; an existing DIR must be empty. Needs
stress-ng (Debian: apt-get install stress-ng) and root, as trace does.

EXAMPLES
  sudo syscall-prof sweep --command "./bench --requests 20000" --levels 0,2,4
  sudo syscall-prof sweep --cgroup /sys/fs/cgroup/db --duration 10 --levels 0,1,2 --stress io -o db-io
  sudo syscall-prof sweep --command "make -j2" --levels 0,4 --stress mixed --labels idle,busy
`;

// --levels: worker counts, comma-separated ("0,2,4").
export function parseLevels(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const levels = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (levels.some((n) => !(n >= 0 && n <= 1024))) throw new InvalidArgumentError('expected worker counts from 0 to 1024 separated by commas, e.g. 0,2,4.');
  return levels;
}

// One level of the plan.
interface Level {
  readonly workers: number;
  readonly label: string;
  readonly path: string;
}

// Runs the sweep subcommand; returns the exit code.
export async function sweepCommand(flags: SweepFlags, io: Io): Promise<number> {
  if (flags.levels.length < 2) throw new UsageError('--levels needs at least two levels, e.g. 0,2,4');
  if (flags.labels !== undefined && flags.labels.length !== flags.levels.length) {
    throw new UsageError(`--labels gives ${flags.labels.length} label${flags.labels.length === 1 ? '' : 's'} for ${flags.levels.length} levels`);
  }
  if (flags.command === undefined && flags.duration === undefined) throw new UsageError('--pid and --cgroup need --duration SEC (each level traces that long)');
  // validated now, before anything starts; each level gets its own output path
  const base = planTrace({ backend: 'ebpf', ...targetFlags(flags), output: 'level.spb' }, []);
  const dir = outputDir(flags.outputDir);
  const labels = flags.labels ?? flags.levels.map((n) => (n === 0 ? 'baseline' : `${flags.stress}-${n}`));
  const levels: Level[] = flags.levels.map((workers, k) => ({ workers, label: labels[k]!, path: join(dir, `${k + 1}-${fileSafe(labels[k]!)}.spb`) }));

  const stop = new AbortController();
  const unlisten = abortOnStopSignals(stop);
  const scratch = mkdtempSync(join(tmpdir(), 'syscall-prof-stress-'));
  const done: Level[] = [];
  try {
    for (const level of levels) {
      if (stop.signal.aborted) break;
      if (await runLevel(level, base, flags, scratch, stop.signal, io)) done.push(level);
    }
  } finally {
    unlisten();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (done.length < 2) {
    io.stderr.write(`syscall-prof: stopped after ${done.length} level${done.length === 1 ? '' : 's'}; nothing to compare (captures in ${dir})\n`);
    return done.length === 0 ? 1 : 0;
  }
  const analyses: CaptureAnalysis[] = [];
  for (const l of done) analyses.push(await readCapture({ input: l.path }, io));
  const comparison = compareCaptures(
    analyses.map((analysis, k) => ({ label: done[k]!.label, analysis })),
    { syscalls: flags.syscalls ?? null, top: flags.top ?? DEFAULT_COMPARE_SYSCALLS, diff: {} },
  );
  const inputs = done.map((l) => l.path);
  writeComparison(comparison, analyses, inputs, { output: join(dir, 'compare.md') }, io);
  writeComparison(comparison, analyses, inputs, {}, io);
  io.stderr.write(`syscall-prof: ${done.length} captures and compare.md in ${dir}\n`);
  return 0;
}

// One level: load on, settle, trace with the load measured around it, load
// off; false when stopped before its trace began (no capture).
async function runLevel(level: Level, base: TracePlan, flags: SweepFlags, scratch: string, signal: AbortSignal, io: Io): Promise<boolean> {
  const warmup = flags.warmup ?? DEFAULT_WARMUP_SEC;
  let load: RunningLoad | null = null;
  if (level.workers > 0) {
    try {
      load = await startLoad({ kind: flags.stress, workers: level.workers, tempDir: scratch, timeoutSec: (flags.duration ?? LOAD_BOUND_SEC) + warmup + 30 });
    } catch (err) {
      throw new BackendError(`level ${level.label}: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    io.stderr.write(`syscall-prof: level ${level.label}: ${load === null ? 'no load' : describeLoad({ kind: flags.stress, workers: level.workers })}; tracing after ${warmup} s\n`);
    if (warmup > 0) await sleep(warmup * 1000, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return false;
    const before = readLoadSample();
    const plan: TracePlan = { ...base, request: { ...base.request, commandStdout: 'stderr' }, capture: { path: level.path, format: 'spb' } };
    const measured = (): LoadLevel => ({
      label: level.label,
      generator: load === null ? null : describeLoad({ kind: flags.stress, workers: level.workers }),
      workers: level.workers,
      ...loadBetween(before, readLoadSample()),
    });
    await captureTrace(plan, plan.capture!, { signal }, measured);
    return true;
  } finally {
    await load?.stop();
  }
}

// The target options trace takes, from sweep's.
function targetFlags(flags: SweepFlags): { command?: string; pid?: number[]; cgroup?: string; duration?: number } {
  return {
    ...(flags.command === undefined ? {} : { command: flags.command }),
    ...(flags.pid === undefined ? {} : { pid: flags.pid }),
    ...(flags.cgroup === undefined ? {} : { cgroup: flags.cgroup }),
    ...(flags.duration === undefined ? {} : { duration: flags.duration }),
  };
}

// The output folder, created now: the given one (which must be empty if it
// exists) or a new ./sweep-<date>-<time>.
function outputDir(given: string | undefined): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = given ?? `sweep-${stamp}`;
  try {
    mkdirSync(dir, { recursive: false });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'EEXIST') throw new OutputError(`cannot create ${dir}: ${e.message}`, { cause: err });
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch (e2) {
      throw new OutputError(`${dir} exists and is not a readable folder`, { cause: e2 });
    }
    if (entries.length > 0) throw new OutputError(`${dir} exists and is not empty: give a new or empty --output-dir`);
  }
  return dir;
}

// A label as part of a file name.
function fileSafe(label: string): string {
  return label.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60) || 'level';
}
