// Starts the exporters the options ask for and feeds them snapshots.
import { hostname } from 'node:os';
import type { Anomaly } from '../../core/analysis/anomaly.js';
import type { Profile } from '../../core/model/profile.js';
import { AnomalyMetrics } from './anomaly-metrics.js';
import { ExportAccumulator } from './accumulator.js';
import { formatAddress, type ListenAddress } from './address.js';
import { CgroupCache, cgroupInfoOfDir, type CgroupInfo } from '../../core/system/cgroup.js';
import { DEFAULT_LABELS } from './labels.js';
import { streamLogger, type Logger } from './log.js';
import { buildFamilies, type MetricFamily } from './metrics.js';
import type { Output } from '../output.js';
import { DEFAULT_MAX_SERIES, DEFAULT_OTLP_INTERVAL_MS, type ExportSettings } from './settings.js';
import { toResourceMetrics } from './otlp-metrics.js';
import { OtlpPusher, SnapshotMetricProducer } from './otlp-pusher.js';
import { startMetricsServer, type MetricsServer } from './prometheus-server.js';
import { renderPrometheus } from './prometheus-text.js';

// Running exporters: hand them every snapshot, close them at the end.
export interface Exporters {
  update(profile: Profile): void;
  // the anomalies active after a snapshot
  recordAnomalies(active: readonly Anomaly[]): void;
  close(): Promise<void>;
  // where /metrics is served, when it is
  readonly prometheus: ListenAddress | null;
  // the families as they stand (for tests and a final dump)
  families(): MetricFamily[];
  // failed OTLP pushes so far
  otlpFailures(): number;
}

// What startExporters can be given besides the flags.
export interface ExporterOptions {
  // where records go (default: logfmt lines on stderr)
  readonly logger?: Logger;
  // service.version of the OTLP resource
  readonly version?: string;
}

// Starts the HTTP server (a port in use is a UsageError, before any tracing) and the OTLP push loop.
export async function startExporters(flags: ExportSettings, stderr: Output, options: ExporterOptions = {}): Promise<Exporters> {
  const log = options.logger ?? streamLogger(stderr);
  const cgroups = new CgroupCache();
  // tracing a cgroup: a process gone before we could read its cgroup was in it (or below)
  let targetCgroup: { readonly dir: string; readonly info: CgroupInfo | null } | null = null;
  const acc = new ExportAccumulator({
    labels: flags.labels ?? DEFAULT_LABELS,
    maxSeries: flags.maxSeries ?? DEFAULT_MAX_SERIES,
    cgroupOf: (tgid, comm) => cgroups.lookup(tgid, comm) ?? targetCgroup?.info ?? null,
    onProcessGone: (tgid) => cgroups.forget(tgid),
  });
  const startMs = Date.now();
  let pusher: OtlpPusher | null = null;
  const anomalies = new AnomalyMetrics();
  const families = (): MetricFamily[] => [...buildFamilies(acc, { exportFailures: pusher === null ? {} : { otlp: pusher.failures } }), ...anomalies.families()];

  let server: MetricsServer | null = null;
  if (flags.prometheus !== undefined) {
    server = await startMetricsServer(flags.prometheus, () => renderPrometheus(families()));
    log.log('info', 'serving metrics', { address: formatAddress(server.address), path: '/metrics' });
  }
  if (flags.otlp !== undefined) {
    const info = { serviceName: 'syscall-prof', hostName: hostname(), version: options.version ?? '0.1.0' };
    const producer = new SnapshotMetricProducer(() => toResourceMetrics(families(), info, startMs, Date.now()));
    pusher = new OtlpPusher(flags.otlp, flags.otlpInterval ?? DEFAULT_OTLP_INTERVAL_MS, producer, log);
    pusher.start();
    log.log('info', 'pushing metrics', { url: flags.otlp, interval_ms: flags.otlpInterval ?? DEFAULT_OTLP_INTERVAL_MS });
  }
  return {
    update: (profile) => {
      const t = profile.target;
      if (t.kind === 'cgroup' && targetCgroup?.dir !== t.path) targetCgroup = { dir: t.path, info: cgroupInfoOfDir(t.path) };
      acc.update(profile);
    },
    recordAnomalies: (active) => anomalies.record(active),
    prometheus: server?.address ?? null,
    families,
    otlpFailures: () => pusher?.failures ?? 0,
    close: async () => {
      await pusher?.close();
      await server?.close();
    },
  };
}
