import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/analysis/capture.js';
import { callsOf, sourceOf } from '../helpers/offline.js';
import { profileOf, statsOf } from '../helpers/profile.js';

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
  });

  it('gives an empty analysis with an unknown duration for an empty capture', async () => {
    const a = await analyzeCapture(sourceOf([], { meta: { durationNs: null } }));
    expect(a.aggregate.syscalls).toEqual([]);
    expect(a.durationNs).toBeNull();
  });
});
