// Synthetic cumulative snapshots for the anomaly detector's tests: one process
// and syscall per series, fed interval by interval like the loader's snapshots.
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import type { Profile, SyscallStats } from '../../../src/core/model/profile.js';
import { profileOf } from '../../helpers/profile.js';

// What one series did in one interval.
export interface IntervalCalls {
  readonly latencies: readonly number[];
  readonly errors?: number;
  // errno -> failed calls with it
  readonly errnos?: Readonly<Record<number, number>>;
}

interface Cumulative {
  count: number;
  errors: number;
  totalNs: number;
  maxNs: number;
  fine: LatencyHistogram;
  coarse: LatencyHistogram;
  errnos: Map<number, number>;
}

const FINE = standardLayout(3);
const COARSE = standardLayout(2);

// Snapshots of (tgid, comm, syscall) series, cumulative since the first.
export class SnapshotStream {
  private readonly series = new Map<string, { tgid: number; comm: string; name: string; c: Cumulative }>();
  private intervals = 0;

  constructor(private readonly intervalMs = 1000) {}

  // The snapshot after one more interval in which these series made these calls.
  next(calls: Readonly<Record<string, IntervalCalls>>): Profile {
    this.intervals += 1;
    for (const [key, it] of Object.entries(calls)) {
      const c = this.cumulative(key);
      for (const v of it.latencies) {
        c.fine.addValue(v);
        c.coarse.addValue(v);
        c.totalNs += v;
        c.maxNs = Math.max(c.maxNs, v);
      }
      c.count += it.latencies.length;
      c.errors += it.errors ?? 0;
      for (const [errno, n] of Object.entries(it.errnos ?? {})) c.errnos.set(Number(errno), (c.errnos.get(Number(errno)) ?? 0) + n);
    }
    const stats = (name: string, c: Cumulative, h: LatencyHistogram): SyscallStats => ({
      name,
      nr: null,
      count: c.count,
      errors: c.errors,
      totalNs: c.totalNs,
      maxNs: c.maxNs,
      histogram: h.clone(),
      errnos: [...c.errnos].map(([errno, count]) => ({ errno, count })),
    });
    const procs = new Map<number, { comm: string; syscalls: SyscallStats[] }>();
    const bySyscall = new Map<string, SyscallStats>();
    for (const s of this.series.values()) {
      const p = procs.get(s.tgid) ?? { comm: s.comm, syscalls: [] };
      p.syscalls.push(stats(s.name, s.c, s.c.coarse));
      procs.set(s.tgid, p);
      // one process per syscall name in these tests: the per-syscall totals are that series
      bySyscall.set(s.name, stats(s.name, s.c, s.c.fine));
    }
    return profileOf({
      target: { kind: 'all', follow: false },
      final: false,
      stopReason: null,
      durationNs: this.intervals * this.intervalMs * 1e6,
      syscalls: [...bySyscall.values()],
      processes: [...procs].map(([tgid, p]) => ({ tgid, comm: p.comm, syscalls: p.syscalls })),
    });
  }

  // Forgets a series (its process exited and was evicted).
  drop(key: string): void {
    this.series.delete(key);
  }

  private cumulative(key: string): Cumulative {
    let s = this.series.get(key);
    if (s === undefined) {
      const [tgid, comm, name] = key.split('/');
      s = {
        tgid: Number(tgid),
        comm: comm!,
        name: name!,
        c: { count: 0, errors: 0, totalNs: 0, maxNs: 0, fine: new LatencyHistogram(FINE), coarse: new LatencyHistogram(COARSE), errnos: new Map() },
      };
      this.series.set(key, s);
    }
    return s.c;
  }
}

// n log-normal latencies around medianNs (sigma in natural log units), from a seeded uniform source.
export function lognormal(rand: () => number, n: number, medianNs: number, sigma: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u1 = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
    out.push(Math.max(1, Math.round(medianNs * Math.exp(sigma * z))));
  }
  return out;
}
