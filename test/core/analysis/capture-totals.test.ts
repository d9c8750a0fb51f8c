import { describe, expect, it } from 'vitest';
import { captureTotals, perSecond } from '../../../src/core/analysis/capture-totals.js';
import { aggregateOf, callsOf } from '../../helpers/offline.js';

describe('captureTotals', () => {
  it('sums calls, errors and time, with a rate over the duration', async () => {
    const agg = await aggregateOf([...callsOf('read', [10, 20], { ret: -2 }), ...callsOf('write', [30])]);
    expect(captureTotals(agg, 2e9)).toEqual({ calls: 3, errors: 2, totalNs: 60, distinctSyscalls: 2, callsPerSecond: 1.5 });
  });

  it.each<[string, number | null]>([
    ['zero', 0],
    ['unknown', null],
  ])('has no rate for a %s duration', async (_name, duration) => {
    expect(captureTotals(await aggregateOf(callsOf('read', [1])), duration).callsPerSecond).toBeNull();
  });

  it('is all zero for an empty capture', async () => {
    expect(captureTotals(await aggregateOf([]), 1e9)).toEqual({ calls: 0, errors: 0, totalNs: 0, distinctSyscalls: 0, callsPerSecond: 0 });
    expect(perSecond(5, 5e8)).toBe(10);
  });
});
