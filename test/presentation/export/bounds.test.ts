import { describe, expect, it } from 'vitest';
import { BOUNDS_NS, BOUNDS_SECONDS, cumulative, foldHistogram } from '../../../src/presentation/export/bounds.js';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';

// the two layouts the loader uses: fine (per syscall) and coarse (per process)
const LAYOUTS = [standardLayout(3), standardLayout(2)];

describe('exported buckets', () => {
  it('are the powers of two from 256 ns to 2^34 ns, in seconds too', () => {
    expect(BOUNDS_NS[0]).toBe(256);
    expect(BOUNDS_NS.at(-1)).toBe(2 ** 34);
    expect(BOUNDS_NS).toHaveLength(27);
    expect(BOUNDS_SECONDS[2]).toBe(1.024e-6);
  });

  it.each(LAYOUTS)('fold a histogram exactly: every value lands under the first bound above it (layout %o)', (layout) => {
    const values = [0, 7, 255, 256, 257, 1000, 1023, 1024, 1025, 150_000, 2 ** 34 - 1, 2 ** 34, 5e10];
    const h = new LatencyHistogram(layout);
    for (const v of values) h.addValue(v);
    const folded = foldHistogram(h);
    const expected = new Array<number>(BOUNDS_NS.length + 1).fill(0);
    for (const v of values) {
      const i = BOUNDS_NS.findIndex((b) => v < b);
      expected[i < 0 ? BOUNDS_NS.length : i]! += 1;
    }
    expect(folded).toEqual(expected);
    expect(folded.reduce((a, b) => a + b, 0)).toBe(values.length);
  });

  it('fold an empty histogram to zeros', () => {
    expect(foldHistogram(new LatencyHistogram(standardLayout(3)))).toEqual(new Array(BOUNDS_NS.length + 1).fill(0));
  });

  it('accumulate monotonically', () => {
    expect(cumulative([1, 0, 2, 5])).toEqual([1, 1, 3, 8]);
    expect(cumulative([])).toEqual([]);
  });
});
