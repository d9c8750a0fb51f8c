// Comparing two captures of the same workload (before and after a change):
// per syscall counts, time and latency, time per category, the verdict, and
// which findings appeared or went away.
//
// Per-call latency (p50, mean, p99) is judged, total time is not: a syscall
// that did twice the calls at the same cost per call did more work, it did
// not get slower. A latency metric is a significant regression when
//   - its syscall has at least `minCalls` (default 30) calls in both captures;
//   - it grew by at least `threshold` (default 10%) and by at least
//     `minDeltaNs` (default 100 ns): a practical effect, so that a huge capture
//     does not flag a 1% change just because it is certain;
//   - a two-sample test (latency-tests.ts) says chance is unlikely, p below
//     `alpha` (default 0.01), and points the same way: Mann-Whitney U for p50
//     and the mean (a shift of the whole distribution), the exceedance test for
//     p99 (after's calls above before's p99).
// An improvement is the same downwards, when nothing regressed. Waiting
// syscalls (epoll_wait, futex, nanosleep...: categories.ts) are tested too but
// never a regression or an improvement: a longer wait is more idle time, not a
// slower call.
//
// Total time is put per unit of work: per call (the mean) and per second of
// capture. The work itself is the calls, or the calls per second when the two
// captures ran for wall times further apart than `threshold` and look like
// windows on running work (workBasisOf). Syscalls present in only one capture
// are 'new' or 'gone': there is nothing to compare.
import type { Aggregate, SyscallAggregate } from './aggregate.js';
import { categoryTimes } from './category-times.js';
import type { Finding } from './findings.js';
import { latencyRow, type LatencyRow } from './latency-rows.js';
import { exceedanceTest, mannWhitney, tieGroups, type ExceedanceTest, type MannWhitney } from './latency-tests.js';
import { categoryOfName, isWaiting, type Category } from '../model/categories.js';

// The default practical effect: a change of 10%.
export const DEFAULT_DIFF_THRESHOLD = 0.1;

// The default smallest change in ns that counts: 100 ns, less than what tracing
// adds to each call (about 250 ns with eBPF), too little to act on.
export const DEFAULT_DIFF_MIN_DELTA_NS = 100;

// The default significance level.
export const DEFAULT_DIFF_ALPHA = 0.01;

// The default minimum calls on both sides for a change to count.
export const DEFAULT_DIFF_MIN_CALLS = 30;

// When a change counts.
export interface DiffOptions {
  // relative change (0.1 = 10%) a latency or the work must move by to count;
  // also how far apart wall times must be for work to be compared per second
  readonly threshold: number;
  // absolute change in ns a latency must move by to count
  readonly minDeltaNs: number;
  // a test's p-value must be below this
  readonly alpha: number;
  // calls needed in both captures
  readonly minCalls: number;
}

// The default options.
export const DEFAULT_DIFF_OPTIONS: DiffOptions = {
  threshold: DEFAULT_DIFF_THRESHOLD,
  minDeltaNs: DEFAULT_DIFF_MIN_DELTA_NS,
  alpha: DEFAULT_DIFF_ALPHA,
  minCalls: DEFAULT_DIFF_MIN_CALLS,
};

// A finding of either side (matched by rule and syscall; the rest is for the renderers).
export type DiffFinding = Finding;

// One side of the comparison.
export interface DiffSide {
  readonly aggregate: Aggregate;
  readonly durationNs: number | null;
  readonly findings: readonly DiffFinding[];
  // analysis/verdict.ts's kind; null when not worked out
  readonly verdict: string | null;
}

// A number before and after; ratio = (after - before) / before, null when
// either is missing or before is 0.
export interface Change {
  readonly before: number | null;
  readonly after: number | null;
  readonly ratio: number | null;
}

// Which side(s) a syscall is in.
export type DiffStatus = 'both' | 'new' | 'gone';

// A per-call latency metric that is judged.
export type LatencyMetric = 'p50' | 'mean' | 'p99';

// The metrics in the order they are reported.
export const LATENCY_METRICS: readonly LatencyMetric[] = ['p50', 'mean', 'p99'];

// Which test judges a metric.
export type LatencyTestName = MannWhitney['test'] | ExceedanceTest['test'];

// The test that judges each metric.
export const METRIC_TESTS: Readonly<Record<LatencyMetric, LatencyTestName>> = { p50: 'mann-whitney-u', mean: 'mann-whitney-u', p99: 'exceedance' };

// A direction of change.
export type Direction = 'slower' | 'faster';

// One latency metric, before and after, and what the test says.
export interface MetricJudgement {
  readonly metric: LatencyMetric;
  readonly change: Change;
  readonly test: LatencyTestName;
  // null when not tested (a side has no calls)
  readonly pValue: number | null;
  // the change is a practical effect (threshold and minDeltaNs)
  readonly large: boolean;
  // a large change, p below alpha, the test pointing the same way, enough calls
  // on both sides; null otherwise
  readonly significant: Direction | null;
}

// The two-sample tests of one syscall and what they ran on.
export interface SyscallTests {
  // 'calls': both captures recorded every call; 'histogram': one or both are
  // in-kernel histograms (calls in one bucket are ties)
  readonly data: 'calls' | 'histogram';
  readonly mannWhitney: MannWhitney;
  readonly exceedance: ExceedanceTest;
}

// How the amount of work changed: the calls, or the calls per second when the
// wall times differ.
export interface WorkChange {
  readonly basis: 'calls' | 'rate';
  readonly change: Change;
  // 'more' / 'less' when it moved by the threshold or more; null when not comparable
  readonly kind: 'more' | 'less' | 'same' | null;
}

// What changed for one syscall.
export interface SyscallDiff {
  readonly name: string;
  readonly status: DiffStatus;
  // a waiting syscall (epoll_wait, futex...): never a regression or an improvement
  readonly waiting: boolean;
  readonly count: Change;
  readonly errors: Change;
  readonly totalNs: Change;
  readonly avgNs: Change;
  readonly p50Ns: Change;
  readonly p99Ns: Change;
  // per second of capture (null sides when a capture's duration is unknown)
  readonly callsPerSec: Change;
  readonly timePerSec: Change;
  readonly work: WorkChange;
  // percentiles estimated (aggregate capture) on either side
  readonly estimated: boolean;
  // at least minCalls calls on both sides
  readonly enoughCalls: boolean;
  // p50, mean, p99 (LATENCY_METRICS order)
  readonly latency: readonly MetricJudgement[];
  // null unless the syscall has calls on both sides
  readonly tests: SyscallTests | null;
  // per call: some metric significantly slower; else faster; else 'unchanged';
  // null when not judged (too few calls, or only on one side)
  readonly perCall: Direction | 'unchanged' | null;
  // significant regression (see the file comment) and which metrics; never for waiting syscalls
  readonly regression: boolean;
  readonly regressed: readonly LatencyMetric[];
  // significant improvement (and nothing regressed) and which metrics
  readonly improvement: boolean;
  readonly improved: readonly LatencyMetric[];
}

// Time in one category, before and after.
export interface CategoryDiff {
  readonly category: Category;
  readonly waiting: boolean;
  readonly totalNs: Change;
  // share of non-waiting time on each side (null for waiting or absent)
  readonly share: Change;
  readonly bottleneckBefore: boolean;
  readonly bottleneckAfter: boolean;
}

// Totals of one side.
export interface DiffTotals {
  readonly calls: number;
  readonly errors: number;
  readonly totalNs: number;
  readonly durationNs: number | null;
}

// The whole comparison.
export interface CaptureDiff {
  readonly options: DiffOptions;
  readonly before: DiffTotals;
  readonly after: DiffTotals;
  readonly calls: Change;
  readonly totalNs: Change;
  readonly durationNs: Change;
  // syscall time per call, and calls and syscall time per second of capture
  readonly perCallNs: Change;
  readonly callsPerSec: Change;
  readonly timePerSec: Change;
  // how work is compared: 'rate' for windows of different lengths on running work (workBasisOf)
  readonly workBasis: WorkChange['basis'];
  // by the size of the change in total time (largest first), then name
  readonly syscalls: readonly SyscallDiff[];
  readonly categories: readonly CategoryDiff[];
  readonly verdict: { readonly before: string | null; readonly after: string | null; readonly changed: boolean };
  // findings only in after (new) and only in before (gone), matched by rule and syscall
  readonly newFindings: readonly DiffFinding[];
  readonly goneFindings: readonly DiffFinding[];
  readonly regressions: number;
  readonly improvements: number;
}

// A Change of two optional numbers.
export function change(before: number | null, after: number | null): Change {
  const ratio = before === null || after === null || before === 0 ? null : (after - before) / before;
  return { before, after, ratio };
}

// Compares two captures.
export function diffCaptures(before: DiffSide, after: DiffSide, options: Partial<DiffOptions> = {}): CaptureDiff {
  const o: DiffOptions = { ...DEFAULT_DIFF_OPTIONS, ...options };
  if (!(o.threshold >= 0) || !Number.isFinite(o.threshold)) throw new RangeError(`diff threshold ${o.threshold} is not a non-negative number`);
  if (!(o.minDeltaNs >= 0) || !Number.isFinite(o.minDeltaNs)) throw new RangeError(`diff minimum change ${o.minDeltaNs} ns is not a non-negative number`);
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`diff significance level ${o.alpha} is not between 0 and 1`);
  const bySyscall = (a: Aggregate): Map<string, SyscallAggregate> => new Map(a.syscalls.filter((s) => s.count > 0).map((s) => [s.name, s]));
  const b = bySyscall(before.aggregate);
  const a = bySyscall(after.aggregate);
  const bt = totalsOf(before);
  const at = totalsOf(after);
  const seconds = { before: secondsOf(bt.durationNs), after: secondsOf(at.durationNs) };
  const durations = change(bt.durationNs, at.durationNs);
  const workBasis = workBasisOf(bt, at, durations, o.threshold);
  const ctx: Context = { o, seconds, workBasis };
  const names = [...new Set([...b.keys(), ...a.keys()])];
  const syscalls = names
    .map((name) => syscallDiff(name, b.get(name) ?? null, a.get(name) ?? null, ctx))
    .sort((x, y) => Math.abs(delta(y.totalNs)) - Math.abs(delta(x.totalNs)) || (x.name < y.name ? -1 : 1));
  const key = (f: DiffFinding): string => `${f.rule}\u0000${f.syscall ?? ''}`;
  const beforeKeys = new Set(before.findings.map(key));
  const afterKeys = new Set(after.findings.map(key));
  return {
    options: o,
    before: bt,
    after: at,
    calls: change(bt.calls, at.calls),
    totalNs: change(bt.totalNs, at.totalNs),
    durationNs: durations,
    perCallNs: change(bt.calls > 0 ? bt.totalNs / bt.calls : null, at.calls > 0 ? at.totalNs / at.calls : null),
    callsPerSec: change(perSecond(bt.calls, seconds.before), perSecond(at.calls, seconds.after)),
    timePerSec: change(perSecond(bt.totalNs, seconds.before), perSecond(at.totalNs, seconds.after)),
    workBasis,
    syscalls,
    categories: categoryDiffs(before.aggregate, after.aggregate),
    verdict: { before: before.verdict, after: after.verdict, changed: before.verdict !== after.verdict },
    newFindings: after.findings.filter((f) => !beforeKeys.has(key(f))),
    goneFindings: before.findings.filter((f) => !afterKeys.has(key(f))),
    regressions: syscalls.filter((s) => s.regression).length,
    improvements: syscalls.filter((s) => s.improvement).length,
  };
}

interface Context {
  readonly o: DiffOptions;
  readonly seconds: { readonly before: number | null; readonly after: number | null };
  readonly workBasis: WorkChange['basis'];
}

function syscallDiff(name: string, bs: SyscallAggregate | null, as: SyscallAggregate | null, ctx: Context): SyscallDiff {
  const { o, seconds } = ctx;
  const b: LatencyRow | null = bs === null ? null : latencyRow(bs);
  const a: LatencyRow | null = as === null ? null : latencyRow(as);
  const status: DiffStatus = b === null ? 'new' : a === null ? 'gone' : 'both';
  const waiting = isWaiting(categoryOfName(name));
  const tests = bs === null || as === null ? null : testsOf(bs, as);
  const enoughCalls = b !== null && a !== null && b.count >= o.minCalls && a.count >= o.minCalls;
  const changes: Record<LatencyMetric, Change> = {
    p50: change(b?.p50Ns ?? null, a?.p50Ns ?? null),
    mean: change(b?.avgNs ?? null, a?.avgNs ?? null),
    p99: change(b?.p99Ns ?? null, a?.p99Ns ?? null),
  };
  const latency = LATENCY_METRICS.map((metric) => judge(metric, changes[metric], tests, enoughCalls, o));
  const regressed = waiting ? [] : latency.filter((m) => m.significant === 'slower').map((m) => m.metric);
  const improved = waiting || regressed.length > 0 ? [] : latency.filter((m) => m.significant === 'faster').map((m) => m.metric);
  const slower = latency.some((m) => m.significant === 'slower');
  const faster = latency.some((m) => m.significant === 'faster');
  const count = change(b?.count ?? null, a?.count ?? null);
  const callsPerSec = change(perSecond(b?.count ?? null, seconds.before), perSecond(a?.count ?? null, seconds.after));
  const workChange = ctx.workBasis === 'rate' ? callsPerSec : count;
  const r = workChange.ratio;
  return {
    name,
    status,
    waiting,
    count,
    errors: change(b?.errors ?? null, a?.errors ?? null),
    totalNs: change(b?.totalNs ?? null, a?.totalNs ?? null),
    avgNs: changes.mean,
    p50Ns: changes.p50,
    p99Ns: changes.p99,
    callsPerSec,
    timePerSec: change(perSecond(b?.totalNs ?? null, seconds.before), perSecond(a?.totalNs ?? null, seconds.after)),
    work: { basis: ctx.workBasis, change: workChange, kind: r === null ? null : r >= o.threshold && r > 0 ? 'more' : r <= -o.threshold && r < 0 ? 'less' : 'same' },
    estimated: (b?.estimated ?? false) || (a?.estimated ?? false),
    enoughCalls,
    latency,
    tests,
    perCall: !enoughCalls ? null : slower ? 'slower' : faster ? 'faster' : 'unchanged',
    regression: regressed.length > 0,
    regressed,
    improvement: improved.length > 0,
    improved,
  };
}

function testsOf(b: SyscallAggregate, a: SyscallAggregate): SyscallTests | null {
  const groups = tieGroups(b.distribution.ranges(), a.distribution.ranges());
  const mw = mannWhitney(groups);
  const exceedance = exceedanceTest(groups);
  if (mw === null || exceedance === null) return null;
  return { data: b.distribution.exact && a.distribution.exact ? 'calls' : 'histogram', mannWhitney: mw, exceedance };
}

function judge(metric: LatencyMetric, c: Change, tests: SyscallTests | null, enoughCalls: boolean, o: DiffOptions): MetricJudgement {
  const test = METRIC_TESTS[metric];
  const large = c.before !== null && c.after !== null && c.ratio !== null && Math.abs(c.ratio) >= o.threshold && Math.abs(c.after - c.before) >= o.minDeltaNs && c.after !== c.before;
  if (tests === null) return { metric, change: c, test, pValue: null, large, significant: null };
  const r = test === 'mann-whitney-u' ? tests.mannWhitney : tests.exceedance;
  // which way the test's evidence points: after's calls slower than before's
  // more often than not (U), or more of them above before's p99 than expected
  const way =
    r.test === 'mann-whitney-u'
      ? Math.sign(r.superiority - 0.5)
      : r.afterAbove > r.expectedAbove
        ? 1
        : r.afterAtOrAbove < r.expectedAbove
          ? -1
          : 0;
  const moved: Direction = c.after! > c.before! ? 'slower' : 'faster';
  const agrees = (moved === 'slower' && way > 0) || (moved === 'faster' && way < 0);
  return { metric, change: c, test, pValue: r.pValue, large, significant: enoughCalls && large && r.pValue < o.alpha && agrees ? moved : null };
}

function categoryDiffs(before: Aggregate, after: Aggregate): CategoryDiff[] {
  const b = new Map(categoryTimes(before).map((c) => [c.category, c]));
  const a = new Map(categoryTimes(after).map((c) => [c.category, c]));
  // after's order (non-waiting by time, then waiting), then categories only in before
  const order = [...a.keys(), ...[...b.keys()].filter((c) => !a.has(c))];
  return order.map((category) => {
    const x = b.get(category);
    const y = a.get(category);
    return {
      category,
      waiting: (x ?? y)!.waiting,
      totalNs: change(x?.totalNs ?? null, y?.totalNs ?? null),
      share: change(x?.share ?? null, y?.share ?? null),
      bottleneckBefore: x?.bottleneck ?? false,
      bottleneckAfter: y?.bottleneck ?? false,
    };
  });
}

function totalsOf(side: DiffSide): DiffTotals {
  const s = side.aggregate.syscalls;
  return {
    calls: s.reduce((n, x) => n + x.count, 0),
    errors: s.reduce((n, x) => n + x.errors, 0),
    totalNs: s.reduce((n, x) => n + x.totalNs, 0),
    durationNs: side.durationNs,
  };
}

function delta(c: Change): number {
  return (c.after ?? 0) - (c.before ?? 0);
}

// Per second ('rate') when the captures look like windows of different lengths
// on running work: wall times further apart than the threshold, and calls per
// second closer between them than calls. Otherwise by calls: two runs of the
// same fixed work, whose wall time is itself a result (a slower run takes
// longer and has fewer calls per second, not less work).
function workBasisOf(b: DiffTotals, a: DiffTotals, durations: Change, threshold: number): WorkChange['basis'] {
  if (durations.ratio === null || !(Math.abs(durations.ratio) > threshold) || b.calls === 0 || a.calls === 0) return 'calls';
  if (!(b.durationNs! > 0 && a.durationNs! > 0)) return 'calls';
  const callsApart = Math.abs(Math.log(a.calls / b.calls));
  const ratesApart = Math.abs(Math.log(a.calls / a.durationNs! / (b.calls / b.durationNs!)));
  return ratesApart < callsApart ? 'rate' : 'calls';
}

// Seconds of a known, positive duration; null otherwise.
function secondsOf(durationNs: number | null): number | null {
  return durationNs !== null && durationNs > 0 ? durationNs / 1e9 : null;
}

function perSecond(n: number | null, seconds: number | null): number | null {
  return n === null || seconds === null ? null : n / seconds;
}
