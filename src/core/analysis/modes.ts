// Finding separated modes (clusters) in a latency distribution: "95% of reads
// are cached and under 100 µs, 5% go to disk and take 1-10 ms".
//
// Method:
//  1. Count calls in log-scale bins, 4 per power of two (each 19% wide).
//  2. Smooth with a Gaussian kernel, its width by Silverman's rule on the log2
//     latencies (0.9 min(sd, IQR/1.34) n^-1/5), at least one bin (±19%):
//     few calls spread widely are smoothed more, so chance gaps are not modes.
//  3. Every local maximum of the smoothed curve is a candidate peak. Two
//     neighbouring peaks are one mode unless the lowest point between them
//     (the valley) is at most VALLEY_RATIO (half) of the smaller peak; the
//     least separated pair is merged first, until every valley is deep enough.
//  4. The modes are the stretches between valleys. A mode with less than
//     MIN_SHARE (3%) of the calls or fewer than MIN_MODE_CALLS (5) calls is
//     noise: it joins the neighbour it is least separated from.
//  5. With fewer than MIN_CALLS (20) calls there is one mode at most: too few
//     to tell clusters from chance.
// A distribution is bimodal (multimodal) when two (or more) modes remain.
// In practice clusters of the usual spread (sigma of ln 0.3-0.6) are told
// apart from about 8x (three powers of two) between their centres, 16x for
// wide ones; closer clusters read as one broad mode.
import type { LatencyDistribution, ValueRange } from './distribution.js';

// The thresholds of mode detection (see the file comment).
export interface ModeThresholds {
  // a mode needs at least this share of all calls
  readonly minShare: number;
  // and at least this many calls
  readonly minModeCalls: number;
  // a valley separates two peaks when it is at most this fraction of the smaller one
  readonly valleyRatio: number;
  // fewer calls than this are never multimodal
  readonly minCalls: number;
}

// The defaults: 3% of calls, 5 calls, valley at most half the smaller peak, 20 calls.
export const DEFAULT_MODE_THRESHOLDS: ModeThresholds = { minShare: 0.03, minModeCalls: 5, valleyRatio: 0.5, minCalls: 20 };

// Log-scale bins per power of two.
export const BINS_PER_OCTAVE = 4;

// One cluster of latencies.
export interface Mode {
  readonly count: number;
  // count / all calls
  readonly share: number;
  // where most of its calls are: its 1st and 99th percentile
  readonly lowNs: number;
  readonly highNs: number;
  // the centre of its densest bin
  readonly peakNs: number;
}

// The modes of a distribution, lowest latency first.
export interface ModeAnalysis {
  readonly modes: readonly Mode[];
  // two or more modes
  readonly multimodal: boolean;
}

// The modes of a distribution; no modes when it is empty.
export function findModes(d: LatencyDistribution, t: ModeThresholds = DEFAULT_MODE_THRESHOLDS): ModeAnalysis {
  const ranges = d.ranges();
  const total = ranges.reduce((n, r) => n + r.count, 0);
  if (total === 0) return { modes: [], multimodal: false };

  // 1. bins, with room for the kernel on both sides
  const rawBins = ranges.map(binOf);
  const kernel = gaussianKernel(bandwidthBins(rawBins, ranges, total));
  const pad = kernel.length >> 1;
  const firstBin = rawBins[0]! - pad;
  const counts = new Array<number>(rawBins[rawBins.length - 1]! + pad - firstBin + 1).fill(0);
  const byBin: ValueRange[][] = counts.map(() => []);
  ranges.forEach((r, i) => {
    const b = rawBins[i]! - firstBin;
    counts[b]! += r.count;
    byBin[b]!.push(r);
  });

  // 2. smoothing
  const smooth = counts.map((_, i) => kernel.reduce((acc, w, k) => acc + w * (counts[i + k - pad] ?? 0), 0));

  // 3. peaks, merged until every valley is deep enough
  const peaks: number[] = [];
  for (let i = 0; i < smooth.length; i++) {
    const s = smooth[i]!;
    if (s > 0 && s >= (smooth[i - 1] ?? 0) && s > (smooth[i + 1] ?? 0)) peaks.push(i);
  }
  for (;;) {
    let worst = -1;
    let worstRatio = t.valleyRatio;
    for (let j = 0; j + 1 < peaks.length; j++) {
      const ratio = valleyDepth(smooth, peaks[j]!, peaks[j + 1]!).value / Math.min(smooth[peaks[j]!]!, smooth[peaks[j + 1]!]!);
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = j;
      }
    }
    if (worst < 0) break;
    // keep the higher peak of the pair
    peaks.splice(smooth[peaks[worst]!]! >= smooth[peaks[worst + 1]!]! ? worst + 1 : worst, 1);
  }

  // 4. stretches between valleys; small ones join their least separated neighbour
  let cuts = peaks.slice(1).map((p, j) => valleyDepth(smooth, peaks[j]!, p).index);
  let modes = stretches(counts, cuts);
  const tooSmall = (n: number): boolean => n < t.minModeCalls || n / total < t.minShare;
  while (modes.length > 1 && (total < t.minCalls || modes.some(tooSmall))) {
    const j = total < t.minCalls ? 0 : modes.findIndex(tooSmall);
    // the cut to remove: the shallower of the (up to two) valleys around mode j
    const left = j - 1;
    const right = j;
    const cut =
      left < 0 ? right : right >= cuts.length ? left : smooth[cuts[left]!]! >= smooth[cuts[right]!]! ? left : right;
    cuts = cuts.filter((_, k) => k !== cut);
    modes = stretches(counts, cuts);
  }

  // 5. describe each stretch
  const bounds = [0, ...cuts, counts.length];
  const out = bounds.slice(0, -1).map((from, m) => describe(byBin.slice(from, bounds[m + 1]), counts, from, firstBin, total));
  return { modes: out, multimodal: out.length >= 2 };
}

// The smoothing width in bins: Silverman's rule of thumb on log2 latencies,
// 0.9 * min(sd, IQR / 1.34) * n^(-1/5), and at least one bin. Few calls
// spread widely are smoothed more, so chance gaps between them are not modes.
function bandwidthBins(bins: readonly number[], ranges: readonly ValueRange[], total: number): number {
  let mean = 0;
  ranges.forEach((r, i) => (mean += (bins[i]! * r.count) / total));
  let variance = 0;
  ranges.forEach((r, i) => (variance += ((bins[i]! - mean) ** 2 * r.count) / total));
  const quantileBin = (q: number): number => {
    let seen = 0;
    for (let i = 0; i < ranges.length; i++) {
      seen += ranges[i]!.count;
      if (seen >= q * total) return bins[i]!;
    }
    return bins[bins.length - 1]!;
  };
  const iqr = quantileBin(0.75) - quantileBin(0.25);
  const spread = Math.min(Math.sqrt(variance), iqr / 1.34 || Math.sqrt(variance));
  return Math.max(1, 0.9 * spread * total ** -0.2);
}

// Normalized Gaussian weights with standard deviation `sd` bins, out to 3 sd
// (sd 1 is close to the binomial kernel [1 4 6 4 1]/16).
function gaussianKernel(sd: number): number[] {
  const reach = Math.ceil(3 * sd);
  const weights = Array.from({ length: 2 * reach + 1 }, (_, k) => Math.exp(-((k - reach) ** 2) / (2 * sd * sd)));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

// The bin of a range: the bin of its geometric middle.
function binOf(r: ValueRange): number {
  const mid = Math.sqrt(Math.max(1, r.lowNs) * Math.max(1, r.highNs));
  return Math.floor(Math.log2(mid) * BINS_PER_OCTAVE);
}

// The lowest smoothed value strictly between two peaks, and where it is.
function valleyDepth(smooth: readonly number[], a: number, b: number): { value: number; index: number } {
  let index = a + 1;
  for (let i = a + 1; i < b; i++) if (smooth[i]! < smooth[index]!) index = i;
  return { value: smooth[index]!, index };
}

// Calls in each stretch between cuts (a cut bin belongs to the stretch after it).
function stretches(counts: readonly number[], cuts: readonly number[]): number[] {
  const bounds = [0, ...cuts, counts.length];
  return bounds.slice(0, -1).map((from, m) => counts.slice(from, bounds[m + 1]).reduce((a, b) => a + b, 0));
}

function describe(bins: readonly ValueRange[][], counts: readonly number[], from: number, firstBin: number, total: number): Mode {
  const ranges = bins.flat();
  const count = ranges.reduce((n, r) => n + r.count, 0);
  let peak = from;
  for (let i = from; i < from + bins.length; i++) if (counts[i]! > counts[peak]!) peak = i;
  return {
    count,
    share: count / total,
    lowNs: valueAt(ranges, count, 0.01, 'low'),
    highNs: valueAt(ranges, count, 0.99, 'high'),
    peakNs: Math.round(2 ** ((peak + firstBin + 0.5) / BINS_PER_OCTAVE)),
  };
}

// The low or high end of the range holding the q-quantile of these ranges.
function valueAt(ranges: readonly ValueRange[], count: number, q: number, end: 'low' | 'high'): number {
  const rank = Math.max(1, Math.ceil(Number((q * count).toPrecision(12))));
  let seen = 0;
  for (const r of ranges) {
    seen += r.count;
    if (seen >= rank) return end === 'low' ? r.lowNs : r.highNs;
  }
  const last = ranges[ranges.length - 1];
  return last === undefined ? 0 : end === 'low' ? last.lowNs : last.highNs;
}
