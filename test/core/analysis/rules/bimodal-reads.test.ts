import { describe, expect, it } from 'vitest';
import { aggregateProfile } from '../../../../src/core/analysis/aggregate-profile.js';
import { findingContext } from '../../../../src/core/analysis/findings.js';
import { bimodalReads, BIMODAL_MIN_SLOW_NS } from '../../../../src/core/analysis/rules/bimodal-reads.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { callsOf, logNormal } from '../../../helpers/offline.js';
import { profileOf, statsOf } from '../../../helpers/profile.js';
import { contextOf } from '../events.js';

const CACHED_AND_DISK = [...logNormal(9_500, 20_000, 0.4, 1), ...logNormal(500, 3_000_000, 0.3, 2)];

describe('bimodalReads', () => {
  it('fires for cache hits and disk reads; saving: slow count * (slow peak - fast peak)', async () => {
    const ctx = await contextOf(callsOf('read', CACHED_AND_DISK, { path: '/data/file' }), 10e9);
    const [f, ...rest] = bimodalReads(ctx);
    expect(rest).toEqual([]);
    const [fast, slow] = ctx.modes('read').modes;
    expect(f).toMatchObject({ rule: 'bimodal-reads', syscall: 'read', severity: 'critical' });
    expect(f!.savingNs).toBe(slow!.count * (slow!.peakNs - fast!.peakNs));
    // 10,000 calls: 95% in the cache, 5% from the disk
    expect(f!.metrics).toMatchObject({ calls: 10_000, slowCalls: slow!.count, fastPeakNs: fast!.peakNs, slowPeakNs: slow!.peakNs, estimated: false });
    expect(f!.subject.labels).toEqual(['cache', 'disk']);
    expect(f!.subject.modes.map((m) => Math.round(m.share * 100))).toEqual([95, 5]);
  });

  it.each<[string, SyscallEvent[], number]>([
    ['unimodal', callsOf('read', logNormal(5_000, 20_000, 0.5, 3), { path: '/data/file' }), 0],
    ['bimodal reads on a socket (network, not disk)', callsOf('read', CACHED_AND_DISK, { path: 'socket:tcp' }), 0],
    // two clusters 16x apart pass the 10x ratio, 8x apart do not (even if told apart)
    ['clusters 8x apart', callsOf('read', [...logNormal(5_000, 20_000, 0.2, 4), ...logNormal(1_000, 160_000, 0.2, 5)], { path: '/f' }), 0],
    ['clusters 16x apart', callsOf('read', [...logNormal(5_000, 20_000, 0.2, 4), ...logNormal(1_000, 320_000, 0.2, 5)], { path: '/f' }), 1],
    ['pread64 counts too', callsOf('pread64', CACHED_AND_DISK, { path: '/data/file' }), 1],
    ['a slow cluster at 40 us', callsOf('pread64', [...logNormal(1_900, 1_000, 0.2, 6), ...logNormal(100, 40_000, 0.2, 7)], { path: '/f' }), 1],
    ['empty', [], 0],
  ])('%s', async (_name, events, n) => {
    expect(bimodalReads(await contextOf(events, 10e9))).toHaveLength(n);
  });

  it('needs the slow cluster at 30 us or more: 1 us cache hits and 5% slowed to 13 us by interrupts are not the disk', async () => {
    expect(BIMODAL_MIN_SLOW_NS).toBe(30_000);
    const ctx = await contextOf(callsOf('pread64', [...logNormal(1_900, 1_000, 0.2, 6), ...logNormal(100, 13_000, 0.2, 7)], { path: '/f' }), 10e9);
    // told apart as two modes 10x or more apart, and still no finding
    const [fast, slow] = ctx.modes('pread64').modes;
    expect(slow!.peakNs / fast!.peakNs).toBeGreaterThanOrEqual(10);
    expect(bimodalReads(ctx)).toEqual([]);
  });

  it('works from an aggregate capture (estimated modes)', () => {
    const profile = profileOf({ syscalls: [statsOf('read', 0, CACHED_AND_DISK)] });
    const found = bimodalReads(findingContext(aggregateProfile(profile), 10e9));
    expect(found.map((f) => f.rule)).toEqual(['bimodal-reads']);
    expect(found[0]!.metrics.estimated).toBe(true);
  });
});
