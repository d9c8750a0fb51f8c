// The anomaly metric families: syscall_prof_anomalies_total{syscall,kind}
// (anomalies started) and syscall_prof_anomaly{syscall,kind} (1 while one is active).
import type { Anomaly, AnomalyChange } from '../../core/analysis/anomaly.js';
import type { MetricFamily } from './metrics.js';

// Anomaly counts and the active set, by (syscall, kind); a label set once seen stays (at 0).
export class AnomalyMetrics {
  private readonly started = new Map<string, { readonly syscall: string; readonly kind: string; count: number }>();
  private active = new Set<string>();

  // Takes the changes of one snapshot and the anomalies active after it.
  record(changes: readonly AnomalyChange[], active: readonly Anomaly[]): void {
    for (const c of changes) if (c.type === 'start') this.entry(c.anomaly).count += 1;
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
