import { describe, expect, it } from 'vitest';
import { EXACT_RELATIVE_ERROR, ExactRecorder, wasmHistograms } from '../../../src/core/analysis/exact-histogram.js';

describe('ExactRecorder', () => {
  it('loads the WebAssembly build on node 20', () => {
    expect(wasmHistograms()).toBe(true);
  });

  it.each([true, false])('reads back exact small values and bounded large ones (wasm %s)', (wasm) => {
    const r = new ExactRecorder(wasm);
    for (const v of [5, 5, 700, 123_456_789]) r.record(v);
    const d = r.finish(5, 123_456_789);
    expect(d.count).toBe(4);
    expect(d.exact).toBe(true);
    expect(d.percentile(0.5)).toBe(5);
    expect(d.percentile(0.75)).toBe(700);
    expect(d.percentile(1)).toBe(123_456_789);
    const ranges = d.ranges();
    expect(ranges.slice(0, 2)).toEqual([
      { lowNs: 5, highNs: 5, count: 2 },
      { lowNs: 700, highNs: 700, count: 1 },
    ]);
    const last = ranges[2]!;
    expect(last.highNs).toBe(123_456_789);
    expect((last.highNs - last.lowNs) / last.highNs).toBeLessThanOrEqual(2 * EXACT_RELATIVE_ERROR);
  });

  it('cannot be finished twice', () => {
    const r = new ExactRecorder();
    r.finish(0, 0);
    expect(() => r.finish(0, 0)).toThrow('finish called twice');
  });

  it('gives no percentiles when nothing was recorded', () => {
    const d = new ExactRecorder().finish(0, 0);
    expect(d.count).toBe(0);
    expect(d.percentile(0.5)).toBeNull();
    expect(d.ranges()).toEqual([]);
  });
});
