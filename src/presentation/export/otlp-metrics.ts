// Metric families as OpenTelemetry ResourceMetrics: cumulative sums, gauges and
// explicit-bucket histograms (bounds: BOUNDS_SECONDS), for the OTLP exporter.
import { ValueType, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BOUNDS_SECONDS } from './bounds.js';
import type { MetricFamily } from './metrics.js';

// The instrumentation scope our metrics are reported under.
export const SCOPE_NAME = 'syscall-prof';

// Resource attributes of this agent.
export interface ResourceInfo {
  readonly serviceName: string;
  readonly hostName: string;
  readonly version: string;
}

// HrTime of a wall-clock instant in ms.
export function hrTimeOf(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

// The ResourceMetrics of the families; cumulative since startMs (when the agent started counting).
export function toResourceMetrics(families: readonly MetricFamily[], info: ResourceInfo, startMs: number, nowMs: number): ResourceMetrics {
  const startTime = hrTimeOf(startMs);
  const endTime = hrTimeOf(nowMs);
  const metrics: MetricData[] = families.map((f): MetricData => {
    const descriptor = { name: f.name, description: f.help, unit: f.unit, valueType: ValueType.DOUBLE };
    if (f.type === 'histogram') {
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: f.points.map((p) => ({
          startTime,
          endTime,
          attributes: { ...p.labels },
          value: { buckets: { boundaries: [...BOUNDS_SECONDS], counts: [...p.buckets] }, sum: p.sum, count: p.count },
        })),
      };
    }
    const dataPoints = f.points.map((p) => ({ startTime, endTime, attributes: { ...p.labels }, value: p.value }));
    if (f.type === 'gauge') {
      return { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints };
    }
    return { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints };
  });
  return {
    resource: resourceFromAttributes({ 'service.name': info.serviceName, 'host.name': info.hostName, 'service.version': info.version }),
    scopeMetrics: [{ scope: { name: SCOPE_NAME, version: info.version }, metrics }],
  };
}
