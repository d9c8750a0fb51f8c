// `check`: a CI gate on latency regressions. The current capture is compared
// with a baseline, pooled from one or more earlier captures, by the diff
// engine's tests (diff.ts, latency-tests.ts); a syscall's verdict comes from
// p50 (Mann-Whitney U) and p99 (exceedance test):
//   - 'regressed': p50 or p99 significantly slower (p below alpha, the test
//     pointing the same way, at least the diff engine's minDeltaNs) and grown
//     by more than its allowed regression (maxP50Regression, maxP99Regression);
//   - 'improved': nothing regressed and p50 or p99 significantly faster by more
//     than that same ratio;
//   - 'pass': neither;
//   - 'indeterminate': fewer than minCalls calls on either side, for a syscall
//     that holds at least MATTERS_SHARE of the working syscall time on either
//     side (too little data on something that matters);
//   - 'few-calls': the same for a syscall below that share (start-up calls,
//     made once or twice a run): not judged, and no reason to hold a gate;
//   - 'waiting': a waiting syscall (epoll_wait, futex, nanosleep...), not judged;
//   - 'new' / 'gone': only in the current capture / only in the baseline, not
//     judged (a new syscall is not a regression by itself).
// The throughput gate (maxRateRegression, off unless given): the current
// capture's calls per second against the baseline's pooled rate (all calls
// over all durations); one number a side, so no test: a drop beyond the
// allowed share is a regression.
// Exit status for the gate: 1 when something regressed (a syscall or the
// rate), else 3 when something was indeterminate or nothing could be judged,
// else 0.
//
// Pooling: the baselines' calls of a syscall are put together as one sample,
// their distributions' ranges side by side (latency-tests.ts merges
// overlapping ranges into ties, so captures of different kinds pool safely).
// A single baseline is used as it is.
import type { Aggregate, CategoryPart, ErrnoCount, SyscallAggregate } from './aggregate.js';
import { compareSyscalls } from './aggregate.js';
import { quantileRank, type LatencyDistribution, type ValueRange } from './distribution.js';
import { diffCaptures, DEFAULT_DIFF_OPTIONS, type DiffOptions, type DiffSide, type MetricJudgement, type SyscallDiff } from './diff.js';

// The default largest allowed p50 and p99 growth: 20%.
export const DEFAULT_MAX_REGRESSION = 0.2;

// What the gate allows and when a change counts.
export interface CheckOptions {
  // largest allowed relative growth of p50 and of p99 (0.2 = 20%)
  readonly maxP50Regression: number;
  readonly maxP99Regression: number;
  // the diff engine's significance level, minimum calls and smallest change in ns
  readonly alpha: number;
  readonly minCalls: number;
  readonly minDeltaNs: number;
  // largest allowed drop of calls per second (0.2 = 20%); null: not checked
  readonly maxRateRegression?: number | null;
}

// A syscall with too few calls is indeterminate (holds the gate) from this
// share of the working syscall time on either side (as a bottleneck, category-times.ts); below it, 'few-calls'.
export const MATTERS_SHARE = 0.1;

// The default options.
export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  maxP50Regression: DEFAULT_MAX_REGRESSION,
  maxP99Regression: DEFAULT_MAX_REGRESSION,
  alpha: DEFAULT_DIFF_OPTIONS.alpha,
  minCalls: DEFAULT_DIFF_OPTIONS.minCalls,
  minDeltaNs: DEFAULT_DIFF_OPTIONS.minDeltaNs,
};

// A syscall's verdict.
export type CheckVerdict = 'pass' | 'regressed' | 'improved' | 'indeterminate' | 'few-calls' | 'waiting' | 'new' | 'gone';

// Verdicts of syscalls that were judged (a JUnit testcase each).
export const JUDGED_VERDICTS: readonly CheckVerdict[] = ['pass', 'regressed', 'improved', 'indeterminate'];

// A judged metric.
export type CheckMetric = 'p50' | 'p99';

// One metric of one syscall: before, after, the test and its p-value.
export interface CheckMetricResult {
  readonly metric: CheckMetric;
  readonly test: MetricJudgement['test'];
  readonly beforeNs: number | null;
  readonly afterNs: number | null;
  // (after - before) / before; null when either is missing or before is 0
  readonly ratio: number | null;
  // null when not tested (a side has no calls)
  readonly pValue: number | null;
  // the diff engine's significance (alpha, minDeltaNs, direction of the test, enough calls)
  readonly significant: 'slower' | 'faster' | null;
  // the allowed growth this metric is held to
  readonly maxRegression: number;
  // significant and beyond maxRegression, either way
  readonly regressed: boolean;
  readonly improved: boolean;
}

// One syscall's result.
export interface CheckSyscall {
  readonly name: string;
  readonly verdict: CheckVerdict;
  readonly baselineCalls: number;
  readonly currentCalls: number;
  // share of the working (non-waiting) syscall time, baseline and current; null when a side has no such time
  readonly baselineShare: number | null;
  readonly currentShare: number | null;
  // percentiles estimated (aggregate capture) on either side
  readonly estimated: boolean;
  readonly p50: CheckMetricResult;
  readonly p99: CheckMetricResult;
}

// Counts per verdict.
export type CheckCounts = Readonly<Record<CheckVerdict, number>>;

// The whole check.
export interface CheckResult {
  readonly options: CheckOptions;
  // how many captures the baseline pools
  readonly baselines: number;
  readonly baselineCalls: number;
  readonly currentCalls: number;
  // judged syscalls first (regressed, indeterminate, improved, pass), then
  // waiting, new, gone; by name within each
  readonly syscalls: readonly CheckSyscall[];
  readonly counts: CheckCounts;
  // the throughput gate; null when not asked for
  readonly rate: CheckRate | null;
  // 0 all pass or improved, 1 something regressed, 3 something indeterminate or nothing judged
  readonly exitCode: 0 | 1 | 3;
}

// Calls per second, baseline (pooled) and current.
export interface CheckRate {
  // null when a side's duration is unknown
  readonly baselinePerSec: number | null;
  readonly currentPerSec: number | null;
  // (current - baseline) / baseline
  readonly ratio: number | null;
  readonly maxRegression: number;
  // dropped by more than maxRegression; null when not known
  readonly regressed: boolean | null;
}

// One capture for the check: its aggregate and capture duration.
export interface CheckInput {
  readonly aggregate: Aggregate;
  readonly durationNs: number | null;
}

// Checks `current` against the pooled `baselines` (at least one).
export function checkCaptures(baselines: readonly CheckInput[], current: CheckInput, options: Partial<CheckOptions> = {}): CheckResult {
  const o: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...options };
  for (const [name, v] of [['p50', o.maxP50Regression], ['p99', o.maxP99Regression]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`maximum ${name} regression ${v} is not a non-negative number`);
  }
  if (baselines.length === 0) throw new RangeError('check needs at least one baseline');
  const base = poolCaptures(baselines);
  // threshold 0: the diff engine says what is significant, the gate's own thresholds say what is too much
  const diffOptions: DiffOptions = { threshold: 0, alpha: o.alpha, minCalls: o.minCalls, minDeltaNs: o.minDeltaNs };
  const diff = diffCaptures(sideOf(base), sideOf(current), diffOptions);
  const working = (side: 'before' | 'after'): number => diff.syscalls.filter((s) => !s.waiting).reduce((n, s) => n + (s.totalNs[side] ?? 0), 0);
  const totals = { before: working('before'), after: working('after') };
  const syscalls = diff.syscalls.map((s) => judgeSyscall(s, o, totals)).sort(compareChecks);
  const counts = countVerdicts(syscalls);
  const rate = o.maxRateRegression == null ? null : rateOf(base, current, o.maxRateRegression);
  const judged = counts.pass + counts.regressed + counts.improved;
  return {
    options: o,
    baselines: baselines.length,
    baselineCalls: diff.before.calls,
    currentCalls: diff.after.calls,
    syscalls,
    counts,
    rate,
    exitCode: counts.regressed > 0 || rate?.regressed === true ? 1 : counts.indeterminate > 0 || (judged === 0 && syscalls.length > 0) ? 3 : 0,
  };
}

// Several captures as one: per syscall, their calls pooled. One capture is returned as it is.
export function poolCaptures(captures: readonly CheckInput[]): CheckInput {
  if (captures.length === 1) return captures[0]!;
  const byName = new Map<string, SyscallAggregate[]>();
  for (const c of captures) {
    for (const s of c.aggregate.syscalls) {
      if (s.count === 0) continue;
      const list = byName.get(s.name) ?? [];
      list.push(s);
      byName.set(s.name, list);
    }
  }
  const syscalls = [...byName.values()].map(poolSyscalls).sort(compareSyscalls);
  const durations = captures.map((c) => c.durationNs);
  return {
    aggregate: {
      source: captures.every((c) => c.aggregate.source === 'events') ? 'events' : 'profile',
      syscalls,
      // per-process data does not pool across runs (pids differ); check does not use it
      processes: [],
      threads: [],
      spanNs: null,
    },
    durationNs: durations.every((d) => d !== null) ? durations.reduce((a, b) => a! + b!, 0) : null,
  };
}

// One syscall of several captures, pooled.
export function poolSyscalls(parts: readonly SyscallAggregate[]): SyscallAggregate {
  if (parts.length === 1) return parts[0]!;
  const sum = (f: (s: SyscallAggregate) => number): number => parts.reduce((n, s) => n + f(s), 0);
  const sumNullable = (f: (s: SyscallAggregate) => number | null): number | null =>
    parts.some((s) => f(s) !== null) ? parts.reduce((n, s) => n + (f(s) ?? 0), 0) : null;
  const extreme = (f: (s: SyscallAggregate) => number | null, pick: (a: number, b: number) => number): number | null => {
    const values = parts.map(f).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce(pick);
  };
  const minNs = extreme((s) => s.minNs, (a, b) => Math.min(a, b));
  const maxNs = extreme((s) => s.maxNs, (a, b) => Math.max(a, b));
  return {
    name: parts[0]!.name,
    count: sum((s) => s.count),
    errors: sum((s) => s.errors),
    errnos: poolErrnos(parts.flatMap((s) => s.errnos)),
    totalNs: sum((s) => s.totalNs),
    minNs,
    maxNs,
    distribution: pooledDistribution(
      parts.map((s) => s.distribution),
      minNs ?? 0,
      maxNs ?? 0,
    ),
    edgeCounts: null,
    categories: poolCategories(parts.flatMap((s) => s.categories)),
    offCpuNs: sumNullable((s) => s.offCpuNs),
    runqNs: sumNullable((s) => s.runqNs),
  };
}

// The distributions' calls as one: their ranges side by side (equal ranges
// summed). A percentile is the middle of the range holding its nearest rank,
// clamped to [minNs, maxNs], as exact-histogram.ts reads its own ranges.
export function pooledDistribution(parts: readonly LatencyDistribution[], minNs: number, maxNs: number): LatencyDistribution {
  const merged = new Map<string, { lowNs: number; highNs: number; count: number }>();
  for (const d of parts) {
    for (const r of d.ranges()) {
      if (r.count <= 0) continue;
      const key = `${r.lowNs}:${r.highNs}`;
      const m = merged.get(key);
      if (m === undefined) merged.set(key, { ...r });
      else m.count += r.count;
    }
  }
  const ranges: readonly ValueRange[] = [...merged.values()].sort((a, b) => a.lowNs - b.lowNs || a.highNs - b.highNs);
  const count = ranges.reduce((n, r) => n + r.count, 0);
  const clamp = (ns: number): number => Math.min(maxNs, Math.max(minNs, ns));
  return {
    count,
    exact: parts.every((d) => d.exact),
    relativeError: parts.reduce((e, d) => Math.max(e, d.relativeError), 0),
    percentile: (q) => {
      if (count === 0) return null;
      const rank = quantileRank(q, count);
      if (rank >= count) return maxNs;
      if (rank === 1) return minNs;
      let seen = 0;
      for (const r of ranges) {
        seen += r.count;
        if (seen >= rank) return clamp(Math.round((r.lowNs + r.highNs) / 2));
      }
      return maxNs;
    },
    ranges: () => ranges,
  };
}

function poolErrnos(all: readonly ErrnoCount[]): ErrnoCount[] {
  const m = new Map<string, number>();
  for (const e of all) m.set(e.errno, (m.get(e.errno) ?? 0) + e.count);
  return [...m].map(([errno, count]) => ({ errno, count })).sort((a, b) => b.count - a.count || (a.errno < b.errno ? -1 : 1));
}

function poolCategories(all: readonly CategoryPart[]): CategoryPart[] {
  const m = new Map<CategoryPart['category'], CategoryPart>();
  const add = (a: number | null, b: number | null): number | null => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));
  for (const p of all) {
    const q = m.get(p.category);
    m.set(
      p.category,
      q === undefined
        ? p
        : { category: p.category, calls: q.calls + p.calls, totalNs: q.totalNs + p.totalNs, offCpuNs: add(q.offCpuNs, p.offCpuNs), runqNs: add(q.runqNs, p.runqNs) },
    );
  }
  return [...m.values()];
}

function sideOf(c: CheckInput): DiffSide {
  return { aggregate: c.aggregate, durationNs: c.durationNs, findings: [], verdict: null };
}

function rateOf(base: CheckInput, current: CheckInput, maxRegression: number): CheckRate {
  const perSec = (c: CheckInput): number | null =>
    c.durationNs === null || !(c.durationNs > 0) ? null : c.aggregate.syscalls.reduce((n, s) => n + s.count, 0) / (c.durationNs / 1e9);
  const b = perSec(base);
  const a = perSec(current);
  const ratio = b === null || a === null || b === 0 ? null : (a - b) / b;
  return { baselinePerSec: b, currentPerSec: a, ratio, maxRegression, regressed: ratio === null ? null : -ratio > maxRegression };
}

function judgeSyscall(s: SyscallDiff, o: CheckOptions, working: { readonly before: number; readonly after: number }): CheckSyscall {
  const metric = (name: CheckMetric, maxRegression: number): CheckMetricResult => {
    const j = s.latency.find((m) => m.metric === name)!;
    const r = j.change.ratio;
    return {
      metric: name,
      test: j.test,
      beforeNs: j.change.before,
      afterNs: j.change.after,
      ratio: r,
      pValue: j.pValue,
      significant: j.significant,
      maxRegression,
      regressed: j.significant === 'slower' && r !== null && r > maxRegression,
      improved: j.significant === 'faster' && r !== null && -r > maxRegression,
    };
  };
  const p50 = metric('p50', o.maxP50Regression);
  const p99 = metric('p99', o.maxP99Regression);
  const share = (ns: number | null, total: number): number | null => (total > 0 ? (ns ?? 0) / total : null);
  const baselineShare = share(s.totalNs.before, working.before);
  const currentShare = share(s.totalNs.after, working.after);
  const matters = (baselineShare ?? 0) >= MATTERS_SHARE || (currentShare ?? 0) >= MATTERS_SHARE;
  const verdict: CheckVerdict =
    s.status !== 'both'
      ? s.status
      : s.waiting
        ? 'waiting'
        : !s.enoughCalls || s.tests === null
          ? matters
            ? 'indeterminate'
            : 'few-calls'
          : p50.regressed || p99.regressed
            ? 'regressed'
            : p50.improved || p99.improved
              ? 'improved'
              : 'pass';
  return {
    name: s.name,
    verdict,
    baselineCalls: s.count.before ?? 0,
    currentCalls: s.count.after ?? 0,
    baselineShare,
    currentShare,
    estimated: s.estimated,
    p50,
    p99,
  };
}

const VERDICT_ORDER: readonly CheckVerdict[] = ['regressed', 'indeterminate', 'improved', 'pass', 'few-calls', 'waiting', 'new', 'gone'];

function compareChecks(a: CheckSyscall, b: CheckSyscall): number {
  return VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function countVerdicts(syscalls: readonly CheckSyscall[]): CheckCounts {
  const counts: Record<CheckVerdict, number> = { pass: 0, regressed: 0, improved: 0, indeterminate: 0, 'few-calls': 0, waiting: 0, new: 0, gone: 0 };
  for (const s of syscalls) counts[s.verdict]++;
  return counts;
}
