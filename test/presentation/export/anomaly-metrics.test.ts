import { DataPointType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../src/core/analysis/anomaly.js';
import { anomalyId } from '../../../src/core/analysis/anomaly.js';
import { AnomalyMetrics } from '../../../src/presentation/export/anomaly-metrics.js';
import { toResourceMetrics } from '../../../src/presentation/export/otlp-metrics.js';
import { renderPrometheus } from '../../../src/presentation/export/prometheus-text.js';

function anomaly(syscall: string, kind: Anomaly['kind'], tgid: number | null): Anomaly {
  const series = { syscall, tgid, comm: tgid === null ? null : 'db' };
  return { id: anomalyId(series, kind), kind, series, errno: null, baseline: 1, observed: 5, peak: 5, sinceMs: 0, observations: 3 };
}

const anomalyLines = (m: AnomalyMetrics): string[] =>
  renderPrometheus(m.families())
    .split('\n')
    .filter((l) => l.startsWith('syscall_prof_anomal'));

describe('anomaly metrics', () => {
  it('has no families before the first anomaly', () => {
    const m = new AnomalyMetrics();
    m.record([]);
    expect(m.families()).toEqual([]);
  });

  it('counts starts per (syscall, kind), 1 while active, 0 after; a label set stays', () => {
    const m = new AnomalyMetrics();
    const a = anomaly('fsync', 'p99', 42);
    const b = anomaly('fsync', 'p99', 43);
    const c = anomaly('openat', 'errors', 42);
    m.record([a]);
    // still active: not counted again
    m.record([a]);
    // another process, same syscall and kind: a second anomaly, one gauge
    m.record([a, b, c]);
    expect(anomalyLines(m)).toEqual([
      'syscall_prof_anomalies_total{syscall="fsync",kind="p99"} 2',
      'syscall_prof_anomalies_total{syscall="openat",kind="errors"} 1',
      'syscall_prof_anomaly{syscall="fsync",kind="p99"} 1',
      'syscall_prof_anomaly{syscall="openat",kind="errors"} 1',
    ]);
    m.record([c]);
    m.record([]);
    // fsync comes back: a third one
    m.record([a]);
    expect(anomalyLines(m)).toEqual([
      'syscall_prof_anomalies_total{syscall="fsync",kind="p99"} 3',
      'syscall_prof_anomalies_total{syscall="openat",kind="errors"} 1',
      'syscall_prof_anomaly{syscall="fsync",kind="p99"} 1',
      'syscall_prof_anomaly{syscall="openat",kind="errors"} 0',
    ]);
    const text = renderPrometheus(m.families());
    expect(text).toContain('# TYPE syscall_prof_anomalies_total counter');
    expect(text).toContain('# TYPE syscall_prof_anomaly gauge');
  });

  it('goes out over OTLP as a monotonic sum and a gauge', () => {
    const m = new AnomalyMetrics();
    m.record([anomaly('read', 'p99', null)]);
    const rm = toResourceMetrics(m.families(), { serviceName: 's', hostName: 'h', version: '1' }, 0, 1000);
    const metrics = rm.scopeMetrics.flatMap((s) => s.metrics);
    expect(metrics.map((x) => [x.descriptor.name, x.dataPointType, x.dataPoints.map((p) => [p.attributes, p.value])])).toEqual([
      ['syscall_prof_anomalies_total', DataPointType.SUM, [[{ syscall: 'read', kind: 'p99' }, 1]]],
      ['syscall_prof_anomaly', DataPointType.GAUGE, [[{ syscall: 'read', kind: 'p99' }, 1]]],
    ]);
  });
});
