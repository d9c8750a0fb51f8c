import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/core/analysis/capture.js';
import { callsOf, sourceOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { call, openat, times, write } from './events.js';

describe('analyzeCapture', () => {
  it('aggregates events and takes the duration from the final metadata', async () => {
    const a = await analyzeCapture(sourceOf(callsOf('read', [10, 20]), { meta: { durationNs: 5e9, lostEvents: 3 } }));
    expect(a.aggregate.source).toBe('events');
    expect(a.durationNs).toBe(5e9);
    expect(a.meta.lostEvents).toBe(3);
  });

  it('falls back to the span of the calls when the duration is unknown', async () => {
    const a = await analyzeCapture(sourceOf(callsOf('read', [10, 20]), { meta: { durationNs: null } }));
    expect(a.durationNs).toBe(1_020);
  });

  it('uses the profile of an aggregate-only capture', async () => {
    const profile = profileOf({ durationNs: 3e9, syscalls: [statsOf('fsync', 74, [1_000_000])] });
    const a = await analyzeCapture(sourceOf([], { meta: { durationNs: null }, profile }));
    expect(a.aggregate.source).toBe('profile');
    expect(a.aggregate.syscalls[0]!.name).toBe('fsync');
    expect(a.durationNs).toBe(3e9);
    // no per-call facts behind histograms
    expect(a.facts).toBeNull();
  });

  it('gathers the per-call facts in the same pass as the aggregate', async () => {
    const a = await analyzeCapture(sourceOf([openat('/db/wal', 3, 0o4010001), ...times(3, (i) => write(3, i * 10, 10, { path: '/db/wal' })), call('close', [3], 0, { path: '/db/wal' })], { capacity: 2 }));
    expect(a.facts).toMatchObject({ syncWrites: 3 });
    expect(a.facts!.paths.paths[0]).toMatchObject({ path: '/db/wal', opens: 1, closes: 1 });
    expect(a.aggregate.syscalls.find((s) => s.name === 'write')!.categories.map((c) => c.category)).toEqual(['sync']);
  });

  it('sums off-CPU and runnable times per syscall, null when no call says', async () => {
    const a = await analyzeCapture(
      sourceOf([...callsOf('fsync', [100, 200], { offCpuNs: 80, runqNs: 5 }), ...callsOf('fsync', [50]), ...callsOf('read', [10])]),
    );
    expect(a.aggregate.syscalls.find((s) => s.name === 'fsync')).toMatchObject({ totalNs: 350, offCpuNs: 160, runqNs: 10 });
    expect(a.aggregate.syscalls.find((s) => s.name === 'read')).toMatchObject({ offCpuNs: null, runqNs: null });
  });

  it('gives an empty analysis with an unknown duration for an empty capture', async () => {
    const a = await analyzeCapture(sourceOf([], { meta: { durationNs: null } }));
    expect(a.aggregate.syscalls).toEqual([]);
    expect(a.durationNs).toBeNull();
  });
});
