import { describe, expect, it } from 'vitest';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { bucketTable } from '../../../src/core/analysis/buckets.js';
import { latencyRow } from '../../../src/core/analysis/latency-rows.js';
import { findModes } from '../../../src/core/analysis/modes.js';
import { palette } from '../../../src/presentation/render/color.js';
import { histogramLines, modalName, renderHistogram } from '../../../src/presentation/render/histogram-text.js';
import { aggregateOf, sampleEvents } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const plain = palette(false);

describe('renderHistogram', () => {
  it('draws the buckets, the modes and the percentiles', async () => {
    const read = (await aggregateOf(sampleEvents())).syscalls.find((s) => s.name === 'read')!;
    const view = { syscall: 'read', table: bucketTable(read, { kind: 'default' }), modes: findModes(read.distribution), row: latencyRow(read), width: 60 };
    expect(renderHistogram(view, plain)).toBe(
      [
        'Latency Distribution (read): 50 calls',
        '────────────────────────────────────────────────────',
        '    < 10 µs                                             0.0%',
        '   10-50 µs  ████████████████████████████████████████  90.0%',
        '  50-100 µs                                             0.0%',
        ' 100-500 µs                                             0.0%',
        '500 µs-1 ms                                             0.0%',
        '    1-10 ms  ████▌                                     10.0%',
        '    > 10 ms                                             0.0%',
        '',
        'Bimodal: 90% under 50 µs, 10% at 5 ms',
        '',
        'min 20.0 µs  p50 20.0 µs  p90 20.0 µs  p95 5.0 ms  p99 5.0 ms  max 5.0 ms',
        '',
      ].join('\n'),
    );
  });

  it('marks estimates from an aggregate capture', () => {
    const s = aggregateProfile(profileOf({ syscalls: [statsOf('fsync', 74, [9_500, 10_400])] })).syscalls[0]!;
    const lines = histogramLines({ syscall: 'fsync', table: bucketTable(s, { kind: 'default' }), modes: findModes(s.distribution), row: latencyRow(s), width: 80 }, plain);
    expect(lines).toContain('~ estimated from in-kernel histograms, within 12.5% of the true value');
    expect(lines).toContain('Bucket counts split in proportion where a histogram bucket straddles an edge.');
    expect(lines.find((l) => l.startsWith('min '))).toMatch(/^min ~\S+ µs  p50 ~\S+ µs .* max 10\.4 µs$/);
  });

  it('says so when there are no calls', () => {
    const s = aggregateProfile(profileOf({ syscalls: [statsOf('fsync', 74, [])] })).syscalls[0]!;
    const view = { syscall: 'fsync', table: bucketTable(s, { kind: 'default' }), modes: findModes(s.distribution), row: null, width: 80 };
    expect(renderHistogram(view, plain)).toBe(
      ['Latency Distribution (fsync): 0 calls', '────────────────────────────────────────────────────', 'No calls.', ''].join('\n'),
    );
  });

  it.each<[number, string]>([
    [2, 'Bimodal'],
    [3, 'Trimodal'],
    [5, 'Multimodal (5 modes)'],
  ])('names %s modes %s', (n, name) => {
    expect(modalName(n)).toBe(name);
  });
});
