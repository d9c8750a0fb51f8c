import { describe, expect, it } from 'vitest';
import { latencyRow, latencyRows } from '../../../src/core/analysis/latency-rows.js';
import { aggregateOf, callsOf } from '../../helpers/offline.js';

describe('latencyRows', () => {
  it('gives count, errors, avg, min, percentiles and max of each syscall with calls', async () => {
    const agg = await aggregateOf([...callsOf('read', Array.from({ length: 100 }, (_, i) => i + 1), { ret: -4 })]);
    expect(latencyRows(agg)).toEqual([
      {
        name: 'read',
        count: 100,
        errors: 100,
        errnos: [{ errno: 'EINTR', count: 100 }],
        totalNs: 5050,
        avgNs: 50.5,
        minNs: 1,
        p50Ns: 50,
        p90Ns: 90,
        p95Ns: 95,
        p99Ns: 99,
        maxNs: 100,
        estimated: false,
        percentileError: 1 / 2048,
      },
    ]);
  });

  it('gives null latencies for a syscall without calls and no rows for an empty capture', async () => {
    const agg = await aggregateOf([]);
    expect(latencyRows(agg)).toEqual([]);
    const empty = { ...(await aggregateOf(callsOf('read', [1]))).syscalls[0]!, count: 0, minNs: null, maxNs: null };
    expect(latencyRow(empty)).toMatchObject({ avgNs: null, p50Ns: null, p99Ns: null, estimated: false, percentileError: 0 });
  });
});
