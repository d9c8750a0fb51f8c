// A latency distribution, whatever it was built from: per-call events (exact)
// or the in-kernel log-linear histograms of an aggregate capture (estimated).
import type { LatencyHistogram } from '../model/histogram.js';
import { bucketBounds } from '../model/histogram-layout.js';
import { quantileErrorBound } from '../model/sampling.js';

// Latencies [lowNs, highNs] (both included) and how many calls fell in them.
export interface ValueRange {
  readonly lowNs: number;
  readonly highNs: number;
  readonly count: number;
}

// The latencies of one syscall.
export interface LatencyDistribution {
  readonly count: number;
  // true when every call was recorded on its own (percentiles exact to 3
  // significant figures); false for estimates from coarse histograms
  readonly exact: boolean;
  // the worst relative error of a percentile
  readonly relativeError: number;
  // the nearest-rank q-quantile (0 < q <= 1) in ns, or null when empty
  percentile(q: number): number | null;
  // the non-empty ranges, lowest first
  ranges(): readonly ValueRange[];
}

// The rank of the q-quantile among n values (nearest rank, at least 1), immune
// to the float noise of q * n (0.95 * 20 is 19.000000000000004).
export function quantileRank(q: number, n: number): number {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside (0, 1]`);
  return Math.max(1, Math.ceil(Number((q * n).toPrecision(12))));
}

// A distribution with no calls.
export const EMPTY_DISTRIBUTION: LatencyDistribution = {
  count: 0,
  exact: true,
  relativeError: 0,
  percentile: () => null,
  ranges: () => [],
};

// The quantiles whose bound a sampled distribution's relativeError covers (the ones the tables show).
const SHOWN_QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

// The estimated distribution of an in-kernel histogram; `maxNs`, the true
// maximum, bounds the open last bucket. samplePeriod > 1 (--sample): the
// histogram holds the timed calls, and relativeError adds the sampling band.
export function histogramDistribution(histogram: LatencyHistogram, maxNs: number, samplePeriod = 1): LatencyDistribution {
  const { layout } = histogram;
  return {
    count: histogram.total,
    exact: false,
    relativeError: samplePeriod > 1 ? sampledError(histogram, maxNs, samplePeriod) : 2 ** -layout.subBits,
    percentile: (q) => histogram.percentile(q, maxNs),
    ranges: () =>
      histogram.buckets().map(([index, count]) => {
        const { lowNs, highNs } = bucketBounds(layout, index);
        const high = Number.isFinite(highNs) ? highNs - 1 : Math.max(lowNs, maxNs);
        return { lowNs, highNs: Math.max(lowNs, Math.min(high, Math.max(maxNs, lowNs))), count };
      }),
  };
}

// the worst bound of the shown quantiles, the sampling band included
function sampledError(histogram: LatencyHistogram, maxNs: number, period: number): number {
  let worst = 2 ** -histogram.layout.subBits;
  for (const q of SHOWN_QUANTILES) worst = Math.max(worst, quantileErrorBound(histogram, q, period, maxNs) ?? 0);
  return worst;
}
