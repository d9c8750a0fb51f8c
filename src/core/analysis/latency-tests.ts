// Two-sample tests on the latencies of one syscall in two captures (`diff`):
// could the difference between before and after be chance?
//
// Both tests read the distributions' ranges (distribution.ts), so they run the
// same way on both kinds of capture:
// - a capture of every call: the ranges are the per-call latencies as the
//   HdrHistogram keeps them (3 significant figures; exact below 2048 ns), so
//   calls equal to within 0.1% are ties;
// - an aggregate capture: the ranges are the in-kernel histogram's buckets, and
//   the calls of one bucket are ties.
// Ranges of the two sides that overlap are the same bucket (or, for two layouts,
// buckets that cannot be told apart) and are merged into one group of ties:
// coarser data can only make a test less sure, never wrongly sure.
//
// - Mann-Whitney U, two-sided: is a call of after as likely to be slower than
//   one of before as faster? Normal approximation with the tie correction and a
//   continuity correction of 1/2, as scipy.stats.mannwhitneyu(method='asymptotic').
// - the exceedance test, two-sided, for p99: how many of after's calls lie
//   above before's p99? When both captures come from one distribution about 1%
//   should, and the count has a known exact distribution whatever the latencies
//   are (beta-binomial: it carries the chance in before's p99 as well, where a
//   binomial test against 1% would take before's p99 as the truth). Calls of
//   after tied with before's p99 count as below for "more above" and as above
//   for "fewer above", so ties only make the test less sure. The two-sided
//   p-value doubles the smaller tail.
import { errorFunction, gammaln } from 'simple-statistics';
import { quantileRank, type ValueRange } from './distribution.js';

// Calls of both sides that are ties: [lowNs, highNs] and how many of each side.
export interface TieGroup {
  readonly lowNs: number;
  readonly highNs: number;
  readonly before: number;
  readonly after: number;
}

// The result of the Mann-Whitney U test.
export interface MannWhitney {
  readonly test: 'mann-whitney-u';
  // U of after: pairs (before call, after call) where the after call is slower, ties counted half
  readonly u: number;
  readonly z: number;
  readonly pValue: number;
  // U / (calls before x calls after): the chance that a call of after is slower
  // than one of before, ties counted half; 0.5 is no shift
  readonly superiority: number;
}

// The result of the exceedance test.
export interface ExceedanceTest {
  readonly test: 'exceedance';
  // the quantile of before the test counts above (0.99)
  readonly quantile: number;
  // the latencies tied with before's p99: [lowNs, highNs]
  readonly thresholdLowNs: number;
  readonly thresholdHighNs: number;
  readonly beforeCalls: number;
  readonly afterCalls: number;
  // after's calls above before's p99 expected when nothing changed, and found
  // (above its ties, and at or above them)
  readonly expectedAbove: number;
  readonly afterAbove: number;
  readonly afterAtOrAbove: number;
  readonly pValue: number;
}

// The quantile the exceedance test counts above.
export const TAIL_QUANTILE = 0.99;

// The two sides' ranges as groups of ties, lowest first.
export function tieGroups(before: readonly ValueRange[], after: readonly ValueRange[]): TieGroup[] {
  const tagged = [...before.map((r) => ({ r, after: false })), ...after.map((r) => ({ r, after: true }))].sort(
    (x, y) => x.r.lowNs - y.r.lowNs || x.r.highNs - y.r.highNs,
  );
  const out: Array<{ lowNs: number; highNs: number; before: number; after: number }> = [];
  for (const { r, after: isAfter } of tagged) {
    if (r.count <= 0) continue;
    let g = out[out.length - 1];
    if (g === undefined || r.lowNs > g.highNs) {
      g = { lowNs: r.lowNs, highNs: r.highNs, before: 0, after: 0 };
      out.push(g);
    }
    g.highNs = Math.max(g.highNs, r.highNs);
    if (isAfter) g.after += r.count;
    else g.before += r.count;
  }
  return out;
}

// Mann-Whitney U over groups of ties; null when a side has no calls.
export function mannWhitney(groups: readonly TieGroup[]): MannWhitney | null {
  const n1 = groups.reduce((n, g) => n + g.before, 0);
  const n2 = groups.reduce((n, g) => n + g.after, 0);
  if (n1 === 0 || n2 === 0) return null;
  const n = n1 + n2;
  let below = 0;
  let rankSum = 0;
  let ties = 0;
  for (const g of groups) {
    const t = g.before + g.after;
    // every call of the group gets the group's middle rank
    rankSum += g.after * (below + (t + 1) / 2);
    ties += t * t * t - t;
    below += t;
  }
  const u = rankSum - (n2 * (n2 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const superiority = u / (n1 * n2);
  // all calls tied: nothing tells the sides apart
  if (!(variance > 0)) return { test: 'mann-whitney-u', u, z: 0, pValue: 1, superiority };
  const distance = Math.max(0, Math.abs(u - mu) - 0.5);
  const z = (Math.sign(u - mu) * distance) / Math.sqrt(variance);
  return { test: 'mann-whitney-u', u, z, pValue: Math.min(1, normalTwoSided(Math.abs(z))), superiority };
}

// The exceedance test over groups of ties; null when a side has no calls.
export function exceedanceTest(groups: readonly TieGroup[], quantile = TAIL_QUANTILE): ExceedanceTest | null {
  const n1 = groups.reduce((n, g) => n + g.before, 0);
  const n2 = groups.reduce((n, g) => n + g.after, 0);
  if (n1 === 0 || n2 === 0) return null;
  // before's p99 is its k-th call (nearest rank); find the group holding it
  const k = quantileRank(quantile, n1);
  let g = 0;
  for (let seen = groups[0]!.before; seen < k; seen += groups[g]!.before) g++;
  const afterAbove = groups.slice(g + 1).reduce((n, x) => n + x.after, 0);
  const afterAtOrAbove = afterAbove + groups[g]!.after;
  const upper = exceedanceTail(n1, k, n2, afterAbove, 'upper');
  const lower = exceedanceTail(n1, k, n2, afterAtOrAbove, 'lower');
  return {
    test: 'exceedance',
    quantile,
    thresholdLowNs: groups[g]!.lowNs,
    thresholdHighNs: groups[g]!.highNs,
    beforeCalls: n1,
    afterCalls: n2,
    expectedAbove: exceedanceMean(n1, k, n2),
    afterAbove,
    afterAtOrAbove,
    pValue: Math.min(1, 2 * Math.min(upper, lower)),
  };
}

// The number M of n2 calls above the k-th smallest of n1 calls, all from one
// continuous distribution: P(M >= x) ('upper') or P(M <= x) ('lower').
// M is beta-binomial(n2, n1 - k + 1, k):
//   P(M = m) = C(k - 1 + n2 - m, n2 - m) C(n1 - k + m, m) / C(n1 + n2, n2).
export function exceedanceTail(n1: number, k: number, n2: number, x: number, tail: 'upper' | 'lower'): number {
  if (tail === 'upper' ? x <= 0 : x >= n2) return 1;
  if (tail === 'upper' ? x > n2 : x < 0) return 0;
  const mean = exceedanceMean(n1, k, n2);
  const logPmf = (m: number): number => logChoose(k - 1 + n2 - m, n2 - m) + logChoose(n1 - k + m, m) - logChoose(n1 + n2, n2);
  // P(M = m + 1) / P(M = m)
  const step = (m: number): number => ((n2 - m) * (n1 - k + m + 1)) / ((k - 1 + n2 - m) * (m + 1));
  // a tail summed outward from m: past the mode its terms only shrink, so it stops early
  const up = (m0: number): number => {
    let sum = 0;
    let term = Math.exp(logPmf(m0));
    for (let m = m0; m <= n2 && term > sum * 1e-17; m++) {
      sum += term;
      term *= step(m);
    }
    return sum;
  };
  const down = (m0: number): number => {
    let sum = 0;
    let term = Math.exp(logPmf(m0));
    for (let m = m0; m >= 0 && term > sum * 1e-17; m--) {
      sum += term;
      if (m > 0) term /= step(m - 1);
    }
    return sum;
  };
  // sum the small tail; the other is 1 minus it, fine for a probability near or above a half
  if (tail === 'upper') return x > mean ? up(x) : Math.max(0, 1 - down(x - 1));
  return x < mean ? down(x) : Math.max(0, 1 - up(x + 1));
}

// The mean of M (exceedanceTail): n2 (n1 - k + 1) / (n1 + 1).
function exceedanceMean(n1: number, k: number, n2: number): number {
  return (n2 * (n1 - k + 1)) / (n1 + 1);
}

// P(|Z| >= z) for a standard normal Z.
export function normalTwoSided(z: number): number {
  return 1 - errorFunction(z / Math.SQRT2);
}

function logChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}
