// Pushes metrics to an OTLP/HTTP endpoint on a timer. An endpoint that is down
// never stops profiling: each failure is counted, the next push backs off
// (doubling up to MAX_BACKOFF_MS), and only state changes are logged.
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import type { CollectionResult, MetricProducer, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Logger } from './log.js';

// ExportResultCode.SUCCESS of @opentelemetry/core (not a direct dependency).
const EXPORT_SUCCESS = 0;

// Longest wait between two pushes while the endpoint fails.
export const MAX_BACKOFF_MS = 60_000;

// A MetricProducer over whatever the agent currently knows (our snapshot, not SDK instruments).
export class SnapshotMetricProducer implements MetricProducer {
  constructor(private readonly produce: () => ResourceMetrics) {}

  // The current metrics.
  async collect(): Promise<CollectionResult> {
    return { resourceMetrics: this.produce(), errors: [] };
  }
}

// The OTLP/HTTP (JSON) exporter for an endpoint URL, cumulative temporality.
export function otlpHttpExporter(url: string, timeoutMillis: number): PushMetricExporter {
  return new OTLPMetricExporter({ url, timeoutMillis, temporalityPreference: AggregationTemporalityPreference.CUMULATIVE });
}

// The delay before the next push after `failures` consecutive failures.
export function backoffMs(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(MAX_BACKOFF_MS, Math.max(intervalMs, intervalMs * 2 ** failures));
}

// The push loop.
export class OtlpPusher {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private closed = false;
  private state: 'unknown' | 'ok' | 'failing' = 'unknown';
  private consecutive = 0;
  private failed = 0;
  private pushed = 0;

  constructor(
    private readonly url: string,
    private readonly intervalMs: number,
    private readonly producer: MetricProducer,
    private readonly log: Logger,
    private readonly exporter: PushMetricExporter = otlpHttpExporter(url, Math.min(10_000, Math.max(1000, intervalMs))),
  ) {}

  // Failed pushes so far.
  get failures(): number {
    return this.failed;
  }

  // Successful pushes so far.
  get successes(): number {
    return this.pushed;
  }

  // Starts pushing every intervalMs.
  start(): void {
    this.schedule(this.intervalMs);
  }

  // Pushes once now (the timer keeps going); resolves when done, never rejects.
  pushNow(): Promise<void> {
    if (this.inFlight !== null) return this.inFlight;
    this.inFlight = this.pushOnce().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  // Stops the timer, makes a last push (the final snapshot) and shuts the exporter down.
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.inFlight !== null) await this.inFlight;
    if (this.state !== 'failing') await this.pushOnce();
    await this.exporter.shutdown().catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.pushNow().then(() => this.schedule(backoffMs(this.intervalMs, this.consecutive)));
    }, ms);
    this.timer.unref();
  }

  private async pushOnce(): Promise<void> {
    let error: string | null = null;
    try {
      const { resourceMetrics } = await this.producer.collect();
      const result = await new Promise<{ code: number; error?: Error }>((resolve) => this.exporter.export(resourceMetrics, resolve));
      if (result.code !== EXPORT_SUCCESS) error = result.error?.message ?? 'export failed';
    } catch (err) {
      error = (err as Error).message;
    }
    if (error === null) {
      this.pushed += 1;
      this.consecutive = 0;
      if (this.state !== 'ok') this.log.log('info', this.state === 'failing' ? 'otlp export recovered' : 'otlp export ok', { url: this.url });
      this.state = 'ok';
      return;
    }
    this.failed += 1;
    this.consecutive += 1;
    if (this.state !== 'failing') {
      this.log.log('warn', 'otlp export failing; profiling continues, retrying with backoff', { url: this.url, error });
    }
    this.state = 'failing';
  }
}
