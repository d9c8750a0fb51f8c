// The anomaly metric families: syscall_prof_anomalies_total{syscall,kind}
// (anomalies started) and syscall_prof_anomaly{syscall,kind} (1 while one is active).
import type { Anomaly } from '../../core/analysis/anomaly.js';
import type { MetricFamily } from './metrics.js';

// Anomaly counts and the active set, by (syscall, kind); a label set once seen stays (at 0).
export class AnomalyMetrics {
  private readonly started = new Map<string, { readonly syscall: string; readonly kind: string; count: number }>();
  private active = new Set<string>();
  // ids of the anomalies active after the previous snapshot
  private ids = new Set<string>();

  // Takes the anomalies active after a snapshot: those not active before have
  // started (one cannot start and end within one snapshot: ending takes another).
  record(active: readonly Anomaly[]): void {
    for (const a of active) if (!this.ids.has(a.id)) this.entry(a).count += 1;
    this.ids = new Set(active.map((a) => a.id));
    this.active = new Set(active.map(key));
  }

  // The two families (empty before the first anomaly).
  families(): MetricFamily[] {
    const series = [...this.started.entries()].sort(([a], [b]) => a.localeCompare(b));
    if (series.length === 0) return [];
    const labels = (s: { syscall: string; kind: string }): Record<string, string> => ({ syscall: s.syscall, kind: s.kind });
    return [
      {
        type: 'counter',
        name: 'syscall_prof_anomalies_total',
        help: 'Anomalies detected (started), by syscall and kind: p99 (tail latency up), errors (error share up), errno (a new errno), rate (call rate surged or collapsed).',
        unit: '1',
        points: series.map(([, s]) => ({ labels: labels(s), value: s.count })),
      },
      {
        type: 'gauge',
        name: 'syscall_prof_anomaly',
        help: 'Whether an anomaly of this kind is active for this syscall (in any traced process): 1 while it lasts, else 0.',
        unit: '1',
        points: series.map(([k, s]) => ({ labels: labels(s), value: this.active.has(k) ? 1 : 0 })),
      },
    ];
  }

  private entry(a: Anomaly): { syscall: string; kind: string; count: number } {
    const k = key(a);
    let e = this.started.get(k);
    if (e === undefined) {
      e = { syscall: a.series.syscall, kind: a.kind, count: 0 };
      this.started.set(k, e);
    }
    return e;
  }
}

function key(a: Anomaly): string {
  return `${a.series.syscall}\u0000${a.kind}`;
}
