import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { ExportAccumulator } from '../../../src/presentation/export/accumulator.js';
import { BOUNDS_SECONDS } from '../../../src/presentation/export/bounds.js';
import { buildFamilies } from '../../../src/presentation/export/metrics.js';
import { hrTimeOf, toResourceMetrics } from '../../../src/presentation/export/otlp-metrics.js';
import { backoffMs, MAX_BACKOFF_MS } from '../../../src/presentation/export/otlp-pusher.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const INFO = { serviceName: 'syscall-prof', hostName: 'h', version: '9.9.9' };

describe('OTLP ResourceMetrics', () => {
  it('turns the histogram into explicit buckets and counters into cumulative monotonic sums', () => {
    const acc = new ExportAccumulator({ labels: ['syscall', 'category'], maxSeries: 10 });
    acc.update(profileOf({ syscalls: [statsOf('fsync', 74, [300, 1500, 1500], { errors: 1 })] }));
    const rm = toResourceMetrics(buildFamilies(acc, { exportFailures: { otlp: 2 } }), INFO, 1_000, 2_500);
    expect(rm.resource.attributes['service.name']).toBe('syscall-prof');
    const metrics = rm.scopeMetrics[0]!.metrics;
    const hist = metrics.find((m) => m.descriptor.name === 'syscall_prof_syscall_duration_seconds')!;
    expect(hist.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(hist.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(hist.descriptor.unit).toBe('s');
    const point = hist.dataPoints[0]!;
    expect(point.attributes).toEqual({ syscall: 'fsync', category: 'sync' });
    expect(point.startTime).toEqual([1, 0]);
    expect(point.endTime).toEqual([2, 500_000_000]);
    const value = point.value as { buckets: { boundaries: number[]; counts: number[] }; sum: number; count: number };
    expect(value.buckets.boundaries).toEqual(BOUNDS_SECONDS);
    expect(value.buckets.counts.slice(0, 5)).toEqual([0, 1, 0, 2, 0]);
    expect(value.buckets.counts).toHaveLength(BOUNDS_SECONDS.length + 1);
    expect(value.count).toBe(3);
    expect(value.sum).toBeCloseTo(3.3e-6, 12);
    const errors = metrics.find((m) => m.descriptor.name === 'syscall_prof_syscall_errors_total')!;
    expect(errors).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true });
    expect(errors.dataPoints[0]!.value).toBe(1);
    const failures = metrics.find((m) => m.descriptor.name === 'syscall_prof_export_failures_total')!;
    expect(failures.dataPoints).toMatchObject([{ attributes: { exporter: 'otlp' }, value: 2 }]);
  });

  it('has no histogram points for an empty profile', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(profileOf());
    const metrics = toResourceMetrics(buildFamilies(acc), INFO, 0, 0).scopeMetrics[0]!.metrics;
    expect(metrics.find((m) => m.descriptor.name === 'syscall_prof_syscall_duration_seconds')!.dataPoints).toEqual([]);
    expect(metrics.find((m) => m.descriptor.name === 'syscall_prof_lost_events_total')!.dataPoints[0]!.value).toBe(0);
  });

  it.each([
    [0, 10_000],
    [1, 20_000],
    [2, 40_000],
    [3, MAX_BACKOFF_MS],
    [50, MAX_BACKOFF_MS],
  ])('backs off after %d consecutive failures: %d ms', (failures, ms) => {
    expect(backoffMs(10_000, failures)).toBe(ms);
  });

  it('converts ms to HrTime', () => {
    expect(hrTimeOf(1234.5)).toEqual([1, 234_500_000]);
  });
});
