// The maths of --sample: scaled totals are unbiased, the quantile bounds hold
// in at least 95% of seeded trials, and the empty cases are said, not guessed.
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import { isSampled, quantileBand, quantileErrorBound, samplingError, scaledTotal } from '../../../src/core/model/sampling.js';
import { seededRandom } from '../../helpers/random.js';

const PERIOD = 16;
const CALLS = 20_000;

// A stream of latencies: log-normal around 2 µs (sigma 1), as syscalls tend to be.
function stream(rand: () => number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    // Box-Muller
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    out.push(Math.max(1, Math.round(2000 * Math.exp(z))));
  }
  return out;
}

// What the kernel keeps of a stream timed 1 call in `period` at random: the
// timed calls' histogram, their summed time and max.
function sample(values: readonly number[], period: number, rand: () => number): { histogram: LatencyHistogram; sumNs: number; maxNs: number } {
  const histogram = new LatencyHistogram(standardLayout(3));
  let sumNs = 0;
  let maxNs = 0;
  for (const v of values) {
    if (rand() >= 1 / period) continue;
    histogram.addValue(v);
    sumNs += v;
    maxNs = Math.max(maxNs, v);
  }
  return { histogram, sumNs, maxNs };
}

// The exact nearest-rank q-quantile.
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('scaledTotal', () => {
  it('is the timed time times the period, and the identity unsampled', () => {
    expect(scaledTotal(1000, 16)).toBe(16_000);
    expect(scaledTotal(1000, 1)).toBe(1000);
  });

  it('is unbiased over seeded synthetic streams (mean of 200 trials within 1.5% of the true total)', () => {
    const rand = seededRandom(13);
    let ratioSum = 0;
    const TRIALS = 200;
    for (let t = 0; t < TRIALS; t++) {
      const values = stream(rand, CALLS);
      const truth = values.reduce((a, b) => a + b, 0);
      ratioSum += scaledTotal(sample(values, PERIOD, rand).sumNs, PERIOD) / truth;
    }
    expect(Math.abs(ratioSum / TRIALS - 1)).toBeLessThan(0.015);
  });
});

describe('quantileBand', () => {
  it('is q ± 1.96·sqrt(q(1-q)/n), clamped to (0, 1]', () => {
    const b = quantileBand(0.5, 10_000)!;
    expect(b.low).toBeCloseTo(0.5 - 1.96 * 0.005, 10);
    expect(b.high).toBeCloseTo(0.5 + 1.96 * 0.005, 10);
    expect(quantileBand(0.99, 10)!.high).toBe(1);
    expect(quantileBand(0.01, 10)!.low).toBeGreaterThan(0);
  });

  it('is at least one rank wide, and null with nothing timed', () => {
    const b = quantileBand(0.5, 1_000_000_000)!;
    expect(b.high - b.low).toBeGreaterThanOrEqual(2e-9 - 1e-15);
    expect(quantileBand(0.5, 0)).toBeNull();
    expect(() => quantileBand(0, 10)).toThrow(RangeError);
  });
});

describe('samplingError and quantileErrorBound', () => {
  it('are 0 and the bucket error when every call was timed, null when nothing was', () => {
    const h = new LatencyHistogram(standardLayout(3));
    expect(samplingError(h, 0.5, PERIOD)).toBeNull();
    expect(quantileErrorBound(h, 0.5, PERIOD)).toBeNull();
    h.addValue(1000, 50);
    expect(samplingError(h, 0.5, 1)).toBe(0);
    expect(quantileErrorBound(h, 0.5, 1)).toBe(0.125);
    // one bucket only: the band moves only within it (interpolation), never past its width
    expect(samplingError(h, 0.5, PERIOD)!).toBeLessThanOrEqual(0.125);
  });

  it('shrink as more calls are timed', () => {
    const rand = seededRandom(7);
    const few = sample(stream(rand, 2_000), PERIOD, rand);
    const many = sample(stream(rand, 200_000), PERIOD, rand);
    expect(samplingError(many.histogram, 0.99, PERIOD, many.maxNs)!).toBeLessThan(samplingError(few.histogram, 0.99, PERIOD, few.maxNs)!);
  });

  it.each([0.5, 0.9, 0.99])('hold for the q=%s quantile in at least 95 percent of 300 seeded trials', (q) => {
    const rand = seededRandom(Math.round(q * 1000));
    const TRIALS = 300;
    let held = 0;
    let heldBucketOnly = 0;
    for (let t = 0; t < TRIALS; t++) {
      const values = stream(rand, CALLS);
      const truth = exactQuantile([...values].sort((a, b) => a - b), q);
      const s = sample(values, PERIOD, rand);
      const estimate = s.histogram.percentile(q, s.maxNs)!;
      const error = Math.abs(estimate - truth) / truth;
      if (error <= quantileErrorBound(s.histogram, q, PERIOD, s.maxNs)!) held++;
      if (error <= 2 ** -s.histogram.layout.subBits) heldBucketOnly++;
    }
    expect(held / TRIALS).toBeGreaterThanOrEqual(0.95);
    // the sampling term matters for the tail: the bucket error alone is not a bound there
    if (q === 0.99) expect(heldBucketOnly / TRIALS).toBeLessThan(0.95);
  });
});

describe('isSampled', () => {
  it.each([
    [undefined, false],
    [null, false],
    [1, false],
    [16, true],
  ])('%s -> %s', (period, expected) => {
    expect(isSampled(period)).toBe(expected);
  });
});
