import { describe, expect, it } from 'vitest';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { bucketTable, type BucketSpec } from '../../../src/core/analysis/buckets.js';
import { latencyRow } from '../../../src/core/analysis/latency-rows.js';
import { findModes } from '../../../src/core/analysis/modes.js';
import { histogramJson, renderHistogramJson } from '../../../src/presentation/render/histogram-json.js';
import { aggregateOf, sampleEvents } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

describe('histogramJson', () => {
  it('has the documented shape', async () => {
    const read = (await aggregateOf(sampleEvents())).syscalls.find((s) => s.name === 'read')!;
    const spec: BucketSpec = { kind: 'default' };
    const j = histogramJson({ input: 'f.csv', syscall: 'read', spec, table: bucketTable(read, spec), modes: findModes(read.distribution), row: latencyRow(read) });
    expect(Object.keys(j)).toEqual(['format', 'version', 'input', 'syscall', 'buckets', 'count', 'estimated', 'stats', 'histogram', 'multimodal', 'modes', 'modesText']);
    expect(j).toMatchObject({ format: 'syscall-prof/histogram', version: 1, input: 'f.csv', syscall: 'read', buckets: 'default', count: 50, estimated: false, multimodal: true });
    expect(j['stats']).toMatchObject({ name: 'read', count: 50, minNs: 20_000, maxNs: 5_000_000 });
    expect((j['histogram'] as unknown[])[1]).toEqual({ label: '10-50 µs', lowNs: 10_000, highNs: 50_000, count: 45, share: 0.9 });
    expect((j['modes'] as Array<{ count: number }>).map((m) => m.count)).toEqual([45, 5]);
    expect(j['modesText']).toBe('90% under 50 µs, 10% at 5 ms');
  });

  it.each<[BucketSpec, string]>([
    [{ kind: 'log2' }, 'log2'],
    [{ kind: 'edges', edgesNs: [1000] }, 'custom'],
  ])('names the bucket kind %j', async (spec, name) => {
    const s = (await aggregateOf(sampleEvents())).syscalls[0]!;
    expect(histogramJson({ input: 'f', syscall: s.name, spec, table: bucketTable(s, spec), modes: findModes(s.distribution), row: latencyRow(s) })['buckets']).toBe(name);
  });

  it('renders a syscall without calls', () => {
    const s = aggregateProfile(profileOf({ syscalls: [statsOf('fsync', 74, [])] })).syscalls[0]!;
    const spec: BucketSpec = { kind: 'log2' };
    const j = JSON.parse(renderHistogramJson({ input: 'f', syscall: 'fsync', spec, table: bucketTable(s, spec), modes: findModes(s.distribution), row: null }));
    expect(j).toMatchObject({ count: 0, stats: null, histogram: [], multimodal: false, modes: [], modesText: null });
  });
});
