// The maths of sampled latency (--sample N): the kernel counts every call
// exactly but times only about 1 call in N, chosen independently at random at
// entry. Times are scaled by N; percentiles come from the timed calls, with an
// error bound that includes the sampling error.
import type { LatencyHistogram } from './histogram.js';

// z of a two-sided 95% normal confidence band.
export const Z95 = 1.96;

// Whether a sample period means sampled (more than 1 call in 1).
export function isSampled(period: number | undefined | null): boolean {
  return period !== undefined && period !== null && period > 1;
}

// The estimated total of a time summed over the timed calls: sampled × N.
// Each call is timed with probability 1/N, independently, so the estimate is
// unbiased; unlike a ratio (mean × count) it never decreases from one
// cumulative snapshot to the next, so counters built from it stay counters.
export function scaledTotal(sampledNs: number, period: number): number {
  return period > 1 ? sampledNs * period : sampledNs;
}

// The 95% band of ranks (as quantiles) around q for a quantile estimated from n
// timed calls: the sample q-quantile's rank is binomial(n, q), so the true
// quantile lies between the sample quantiles at q ± 1.96·sqrt(q(1-q)/n) about
// 95% of the time (normal approximation of the order-statistic interval).
// Clamped to (0, 1]; null when n is 0.
export function quantileBand(q: number, n: number): { readonly low: number; readonly high: number } | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside (0, 1]`);
  if (!(n > 0)) return null;
  // at least one rank either side, so a tiny n is never reported as exact
  const half = Math.max(Z95 * Math.sqrt((q * (1 - q)) / n), 1 / n);
  return { low: Math.max(q - half, Number.MIN_VALUE), high: Math.min(q + half, 1) };
}

// The relative error of a histogram's q-quantile from sampling alone: the
// rank band of quantileBand mapped through the histogram, as a fraction of the
// estimate. 0 when not sampled; null when there is nothing timed.
export function samplingError(histogram: LatencyHistogram, q: number, period: number, maxNs?: number): number | null {
  if (period <= 1) return 0;
  const band = quantileBand(q, histogram.total);
  const estimate = histogram.percentile(q, maxNs);
  if (band === null || estimate === null) return null;
  const low = histogram.percentile(band.low, maxNs) ?? estimate;
  const high = histogram.percentile(band.high, maxNs) ?? estimate;
  const spread = Math.max(estimate - low, high - estimate);
  return estimate > 0 ? spread / estimate : spread > 0 ? Infinity : 0;
}

// The whole relative error bound of a sampled histogram's q-quantile: the
// histogram's bucket error (2^-subBits) plus the sampling error.
export function quantileErrorBound(histogram: LatencyHistogram, q: number, period: number, maxNs?: number): number | null {
  const sampling = samplingError(histogram, q, period, maxNs);
  return sampling === null ? null : 2 ** -histogram.layout.subBits + sampling;
}
