// The anomaly options of `agent` and `live`: --no-anomalies, --anomaly-*, and
// the agent's --anomaly-log and --on-anomaly-capture.
import { InvalidArgumentError, type Command } from 'commander';
import { ANOMALY_KINDS, DEFAULT_ANOMALY_OPTIONS, type AnomalyKind, type AnomalyOptions } from '../core/analysis/anomaly.js';
import { UsageError } from '../core/errors.js';
import { intInRange, parseSeconds } from './parsers.js';
import { parseDurationNs } from './trace-parsers.js';

// The anomaly options as commander parses them.
export interface AnomalyFlags {
  // false with --no-anomalies
  readonly anomalies?: boolean;
  readonly anomalyBy?: string;
  readonly anomalyKinds?: AnomalyKind[];
  readonly anomalyFactor?: number;
  readonly anomalySustain?: number;
  readonly anomalyWarmup?: number;
  readonly anomalyMinCalls?: number;
  // agent only
  readonly anomalyLog?: string;
  readonly onAnomalyCapture?: string;
  readonly anomalyCaptureWindow?: number;
  readonly anomalyCaptureMaxEvents?: number;
  readonly anomalyCaptureMinDuration?: number;
  readonly anomalyCaptureMax?: number;
  readonly anomalyCaptureOverwrite?: boolean;
}

// What the agent keeps for --on-anomaly-capture, and how it names the files.
export interface AnomalyCapturePlan {
  readonly path: string;
  readonly windowMs: number;
  readonly maxEvents: number;
  // the kernel records only calls at least this slow (event mode's --min-duration)
  readonly minDurationNs: number;
  // at most this many files per run
  readonly maxFiles: number;
  readonly overwrite: boolean;
}

// Defaults of the capture: 30 s before the anomaly is declared (it takes
// `sustain` intervals, and a slow series longer), at most 100,000 calls (about
// 10 MB of frames), and only calls of at least 100 us, which each blocked their
// thread for that long: at most 10,000 records a second per busy thread, while
// the fast calls (the millions) stop at one comparison in the kernel.
export const CAPTURE_WINDOW_S = 30;
export const CAPTURE_MAX_EVENTS = 100_000;
export const CAPTURE_MIN_DURATION_NS = 100_000;
export const CAPTURE_MAX_FILES = 20;

function parseKinds(text: string): AnomalyKind[] {
  const kinds = text.split(',').map((s) => s.trim());
  const bad = kinds.find((k) => !(ANOMALY_KINDS as readonly string[]).includes(k));
  if (bad !== undefined || kinds.length === 0) throw new InvalidArgumentError(`expected kinds from ${ANOMALY_KINDS.join(',')}, separated by commas.`);
  return [...new Set(kinds)] as AnomalyKind[];
}

function parseFactor(text: string): number {
  const n = Number(text);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text) || !(n > 1) || n > 1000) throw new InvalidArgumentError('expected a factor above 1 (e.g. 3), at most 1000.');
  return n;
}

// Adds the options both commands share, and with agent the log and capture options.
export function addAnomalyOptions(cmd: Command, agent: boolean): Command {
  const d = DEFAULT_ANOMALY_OPTIONS;
  cmd
    .option('--no-anomalies', 'do not look for anomalies (sustained p99, error or errno changes against a learned baseline)')
    .option('--anomaly-by <series>', `one baseline per syscall or per process and syscall (default ${d.by})`)
    .option('--anomaly-kinds <list>', `what to flag: ${ANOMALY_KINDS.join(',')} (default ${d.kinds.join(',')}; rate: calls/s ${d.rateFactor}x up or down)`, parseKinds)
    .option('--anomaly-factor <x>', `flag a p99 (or error share) this many times its baseline (default ${d.factor})`, parseFactor)
    .option('--anomaly-sustain <n>', `intervals in a row that start (and end) an anomaly (default ${d.sustain})`, intInRange(1, 1000))
    .option('--anomaly-warmup <n>', `intervals that only learn the baseline (default ${d.warmup})`, intInRange(1, 100_000))
    .option('--anomaly-min-calls <n>', `calls an interval needs to be judged; fewer are pooled with the next (default ${d.minCalls})`, intInRange(1, 1_000_000));
  if (!agent) return cmd;
  return cmd
    .option('--anomaly-log <file>', 'append the anomaly records to this file instead of stderr')
    .option('--on-anomaly-capture <file.spb>', 'keep the last seconds of slow calls in memory and write those of the process to this .spb when an anomaly starts (then FILE-2.spb, ...)')
    .option('--anomaly-capture-window <sec>', `seconds of calls the capture holds (default ${CAPTURE_WINDOW_S})`, parseSeconds)
    .option('--anomaly-capture-max-events <n>', `at most this many calls in memory (default ${CAPTURE_MAX_EVENTS})`, intInRange(1, 10_000_000))
    .option('--anomaly-capture-min-duration <time>', `record only calls at least this slow: 0, 50us, 1ms (default ${CAPTURE_MIN_DURATION_NS / 1000}us)`, (t: string) =>
      t.trim() === '0' ? 0 : parseDurationNs(t),
    )
    .option('--anomaly-capture-max <n>', `at most this many capture files per run (default ${CAPTURE_MAX_FILES})`, intInRange(1, 100_000))
    .option('--anomaly-capture-overwrite', 'write every capture to FILE itself, replacing the previous one');
}

// The detector options the flags ask for, or null with --no-anomalies.
export function anomalyOptionsOf(flags: AnomalyFlags): AnomalyOptions | null {
  if (flags.anomalies === false) {
    if (flags.onAnomalyCapture !== undefined) throw new UsageError('--on-anomaly-capture needs anomaly detection: drop --no-anomalies');
    return null;
  }
  const by = flags.anomalyBy ?? DEFAULT_ANOMALY_OPTIONS.by;
  if (by !== 'syscall' && by !== 'process') throw new UsageError(`--anomaly-by takes syscall or process, not "${by}"`);
  return {
    ...DEFAULT_ANOMALY_OPTIONS,
    by,
    ...(flags.anomalyKinds === undefined ? {} : { kinds: flags.anomalyKinds }),
    ...(flags.anomalyFactor === undefined ? {} : { factor: flags.anomalyFactor }),
    ...(flags.anomalySustain === undefined ? {} : { sustain: flags.anomalySustain }),
    ...(flags.anomalyWarmup === undefined ? {} : { warmup: flags.anomalyWarmup }),
    ...(flags.anomalyMinCalls === undefined ? {} : { minCalls: flags.anomalyMinCalls }),
  };
}

// The capture plan of --on-anomaly-capture, or null without it.
export function anomalyCaptureOf(flags: AnomalyFlags): AnomalyCapturePlan | null {
  const path = flags.onAnomalyCapture;
  const rest = [flags.anomalyCaptureWindow, flags.anomalyCaptureMaxEvents, flags.anomalyCaptureMinDuration, flags.anomalyCaptureMax, flags.anomalyCaptureOverwrite];
  if (path === undefined) {
    if (rest.some((v) => v !== undefined)) throw new UsageError('the --anomaly-capture-* options need --on-anomaly-capture FILE.spb');
    return null;
  }
  if (!path.endsWith('.spb')) throw new UsageError(`--on-anomaly-capture writes .spb captures (got "${path}")`);
  return {
    path,
    windowMs: Math.round((flags.anomalyCaptureWindow ?? CAPTURE_WINDOW_S) * 1000),
    maxEvents: flags.anomalyCaptureMaxEvents ?? CAPTURE_MAX_EVENTS,
    minDurationNs: flags.anomalyCaptureMinDuration ?? CAPTURE_MIN_DURATION_NS,
    maxFiles: flags.anomalyCaptureMax ?? CAPTURE_MAX_FILES,
    overwrite: flags.anomalyCaptureOverwrite === true,
  };
}
