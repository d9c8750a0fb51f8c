// Comparing two captures of the same workload (before and after a change):
// per syscall counts, total time and p50/p99, time per category, the verdict,
// and which findings appeared or went away.
//
// A syscall is a significant regression when
//   - it has at least `minCalls` (default 30) calls in both captures: with
//     fewer, a percentile is one or two calls and moves by chance; and
//   - its p99 or its total time grew by more than `threshold` (default 20%,
//     comfortably above the 12.5% error of estimated percentiles).
// A significant improvement is the same downwards (shrank by more than the
// threshold). Syscalls present in only one capture are 'new' or 'gone', never
// regressions: there is nothing to compare. Total time is compared as is, not
// per second: compare captures of the same amount of work.
import type { Aggregate } from './aggregate.js';
import { categoryTimes } from './category-times.js';
import type { Finding } from './findings.js';
import { latencyRow, type LatencyRow } from './latency-rows.js';
import type { Category } from '../model/categories.js';

// The default threshold: 20%.
export const DEFAULT_DIFF_THRESHOLD = 0.2;

// The default minimum calls on both sides for a change to count.
export const DEFAULT_DIFF_MIN_CALLS = 30;

// When a change counts.
export interface DiffOptions {
  // relative change (0.2 = 20%) beyond which p99 or total time is significant
  readonly threshold: number;
  // calls needed in both captures
  readonly minCalls: number;
}

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

// What changed for one syscall.
export interface SyscallDiff {
  readonly name: string;
  readonly status: DiffStatus;
  readonly count: Change;
  readonly errors: Change;
  readonly totalNs: Change;
  readonly avgNs: Change;
  readonly p50Ns: Change;
  readonly p99Ns: Change;
  // percentiles estimated (aggregate capture) on either side
  readonly estimated: boolean;
  // significant regression (see the file comment) and what grew
  readonly regression: boolean;
  readonly regressed: readonly ('p99' | 'total')[];
  readonly improvement: boolean;
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
export function diffCaptures(before: DiffSide, after: DiffSide, options: DiffOptions = { threshold: DEFAULT_DIFF_THRESHOLD, minCalls: DEFAULT_DIFF_MIN_CALLS }): CaptureDiff {
  if (!(options.threshold >= 0) || !Number.isFinite(options.threshold)) throw new RangeError(`diff threshold ${options.threshold} is not a non-negative number`);
  const rowsOf = (a: Aggregate): Map<string, LatencyRow> => new Map(a.syscalls.filter((s) => s.count > 0).map((s) => [s.name, latencyRow(s)]));
  const b = rowsOf(before.aggregate);
  const a = rowsOf(after.aggregate);
  const names = [...new Set([...b.keys(), ...a.keys()])];
  const syscalls = names
    .map((name) => syscallDiff(name, b.get(name) ?? null, a.get(name) ?? null, options))
    .sort((x, y) => Math.abs(delta(y.totalNs)) - Math.abs(delta(x.totalNs)) || (x.name < y.name ? -1 : 1));
  const bt = totalsOf(before);
  const at = totalsOf(after);
  const key = (f: DiffFinding): string => `${f.rule}\u0000${f.syscall ?? ''}`;
  const beforeKeys = new Set(before.findings.map(key));
  const afterKeys = new Set(after.findings.map(key));
  return {
    options,
    before: bt,
    after: at,
    calls: change(bt.calls, at.calls),
    totalNs: change(bt.totalNs, at.totalNs),
    durationNs: change(bt.durationNs, at.durationNs),
    syscalls,
    categories: categoryDiffs(before.aggregate, after.aggregate),
    verdict: { before: before.verdict, after: after.verdict, changed: before.verdict !== after.verdict },
    newFindings: after.findings.filter((f) => !beforeKeys.has(key(f))),
    goneFindings: before.findings.filter((f) => !afterKeys.has(key(f))),
    regressions: syscalls.filter((s) => s.regression).length,
    improvements: syscalls.filter((s) => s.improvement).length,
  };
}

function syscallDiff(name: string, b: LatencyRow | null, a: LatencyRow | null, o: DiffOptions): SyscallDiff {
  const status: DiffStatus = b === null ? 'new' : a === null ? 'gone' : 'both';
  const p99 = change(b?.p99Ns ?? null, a?.p99Ns ?? null);
  const total = change(b?.totalNs ?? null, a?.totalNs ?? null);
  const enough = b !== null && a !== null && b.count >= o.minCalls && a.count >= o.minCalls;
  const regressed: ('p99' | 'total')[] = [];
  let improved = false;
  if (enough) {
    if (p99.ratio !== null && p99.ratio > o.threshold) regressed.push('p99');
    if (total.ratio !== null && total.ratio > o.threshold) regressed.push('total');
    improved = regressed.length === 0 && ((p99.ratio !== null && p99.ratio < -o.threshold) || (total.ratio !== null && total.ratio < -o.threshold));
  }
  return {
    name,
    status,
    count: change(b?.count ?? null, a?.count ?? null),
    errors: change(b?.errors ?? null, a?.errors ?? null),
    totalNs: total,
    avgNs: change(b?.avgNs ?? null, a?.avgNs ?? null),
    p50Ns: change(b?.p50Ns ?? null, a?.p50Ns ?? null),
    p99Ns: p99,
    estimated: (b?.estimated ?? false) || (a?.estimated ?? false),
    regression: regressed.length > 0,
    regressed,
    improvement: improved,
  };
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
