// Anomalies as data: what deviated (kind, series), from what baseline, to what,
// and since when; the options of the detector with their defaults.

// What deviated: a syscall's p99 latency went up, its error rate went up, it
// failed with an errno its baseline never had, or its call rate surged or collapsed.
export type AnomalyKind = 'p99' | 'errors' | 'errno' | 'rate';

// Every kind, in the order they are listed.
export const ANOMALY_KINDS: readonly AnomalyKind[] = ['p99', 'errors', 'errno', 'rate'];

// Which series have their own baseline: one per syscall (all traced processes
// together), or one per (process, syscall).
export type AnomalyGrouping = 'syscall' | 'process';

// The series an anomaly belongs to; tgid and comm are null for a per-syscall series.
export interface AnomalySeries {
  readonly syscall: string;
  readonly tgid: number | null;
  readonly comm: string | null;
}

// One anomaly, active or ended. Values by kind: p99, ns; errors, failed calls
// as a share of calls (0..1); errno, failed calls with that errno per
// observation (baseline 0); rate, calls per second.
export interface Anomaly {
  // stable while it lasts: series, kind (and errno)
  readonly id: string;
  readonly kind: AnomalyKind;
  readonly series: AnomalySeries;
  // the errno of an errno anomaly (positive), else null
  readonly errno: number | null;
  readonly baseline: number;
  // the latest deviating observation, and the furthest one
  readonly observed: number;
  readonly peak: number;
  // wall clock of the end of the first deviating observation, ms since the epoch
  readonly sinceMs: number;
  // deviating observations so far
  readonly observations: number;
}

// An anomaly starting (after `sustain` deviating observations) or ending
// (after `sustain` normal ones, or because its series is gone).
export interface AnomalyChange {
  readonly type: 'start' | 'end';
  readonly anomaly: Anomaly;
  // wall clock of the snapshot that decided it, ms since the epoch
  readonly atMs: number;
  // end only: 'normal' (the series returned to its baseline), 'gone' (the process left)
  readonly reason: 'normal' | 'gone' | null;
}

// How the detector decides; see DEFAULT_ANOMALY_OPTIONS for the reasons behind each default.
export interface AnomalyOptions {
  readonly kinds: readonly AnomalyKind[];
  readonly by: AnomalyGrouping;
  // observations that make the baseline before anything is flagged
  readonly warmup: number;
  // deviating observations in a row to start an anomaly, normal ones in a row to end it
  readonly sustain: number;
  // p99 (and errors) must be this many times the baseline
  readonly factor: number;
  // rate must be this many times above or below the baseline
  readonly rateFactor: number;
  // calls (timed calls for p99) an observation needs; fewer are carried into the next interval
  readonly minCalls: number;
  // intervals an observation may span while it gathers minCalls
  readonly maxSpan: number;
  // weight of a new observation in the EWMA of the baseline and of its deviation
  readonly alpha: number;
  // a deviation must also exceed this many mean absolute deviations of the baseline
  readonly band: number;
  // errors: the error share must rise by at least this much (0..1)
  readonly minErrorRise: number;
}

// The defaults. p99 3x: a tail that triples is what an operator wants to hear
// about, and is far outside the sampling noise of a p99 from >= 20 calls of a
// steady distribution; 3 observations in a row: one slow interval (a GC, a
// flush) is not an incident, and at 1 s it is still found within ~3 s; warm-up
// 10 observations: a median and MAD of 10 are robust to 2 outliers; alpha 0.1:
// the baseline's half-life is ~7 observations, so a drift of a few % per
// interval is followed while a step is not; band 4 mean absolute deviations
// (~3.2 sigma) keeps series that always swing widely quiet; errors +5 points:
// below that a rise is seldom worth a page. rate is off by default: call rates
// follow the load, which changes for good reasons.
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  kinds: ['p99', 'errors', 'errno'],
  by: 'process',
  warmup: 10,
  sustain: 3,
  factor: 3,
  rateFactor: 10,
  minCalls: 20,
  maxSpan: 5,
  alpha: 0.1,
  band: 4,
  minErrorRise: 0.05,
};

// The id of an anomaly: its series, kind and errno.
export function anomalyId(series: AnomalySeries, kind: AnomalyKind, errno: number | null = null): string {
  const who = series.tgid === null ? '*' : `${series.tgid}`;
  return `${series.syscall}/${who}/${kind}${errno === null ? '' : `/${errno}`}`;
}
