// Cumulative snapshots -> observations per series for the anomaly detector.
// Each series keeps the cumulative stats at the end of its last observation;
// an observation is the difference up to the current snapshot, taken once it
// holds minCalls calls or spans maxSpan intervals, so a series whose calls
// slow down (fewer per interval) is still judged, over a longer span.
import { LatencyHistogram } from '../model/histogram.js';
import type { Profile, SyscallStats } from '../model/profile.js';
import type { AnomalyGrouping, AnomalySeries } from './anomaly.js';

// One series over one observation span.
export interface SeriesObservation {
  readonly key: string;
  readonly series: AnomalySeries;
  readonly calls: number;
  readonly errors: number;
  // p99 latency of the timed calls of the span (see tailQuantile), ns; null with fewer than minCalls timed
  readonly p99Ns: number | null;
  readonly spanMs: number;
}

// Failed calls of one syscall by errno over one snapshot interval (all processes).
export interface ErrnoObservation {
  readonly syscall: string;
  readonly calls: number;
  readonly errnos: ReadonlyMap<number, number>;
}

// What one snapshot adds.
export interface SnapshotObservations {
  // wall clock of the snapshot, ms since the epoch
  readonly atMs: number;
  readonly series: readonly SeriesObservation[];
  readonly errnos: readonly ErrnoObservation[];
  // keys of series that were followed and are no longer in the snapshots
  readonly gone: readonly string[];
}

interface Base {
  readonly stats: SyscallStats;
  readonly atMs: number;
  readonly intervals: number;
}

// The quantile the latency anomaly watches...
const TAIL_QUANTILE = 0.99;
// ...but never above the third slowest call: a p99 of 100 calls is the slowest
// one, which an interrupt or a preemption can make 20x slower on its own; an
// incident slows more than one or two calls
const MIN_TAIL_CALLS = 3;

// The quantile judged for n timed calls: p99, or the MIN_TAIL_CALLS-th slowest call if that is lower.
export function tailQuantile(n: number): number {
  return Math.min(TAIL_QUANTILE, (n - (MIN_TAIL_CALLS - 1)) / n);
}

// Follows snapshots of one trace (or of successive loader runs) and turns them into observations.
export class AnomalyIntervals {
  private session: number | null = null;
  private bases = new Map<string, Base>();
  private errnoBases = new Map<string, { readonly count: number; readonly errnos: ReadonlyMap<number, number> }>();

  constructor(
    private readonly by: AnomalyGrouping,
    private readonly minCalls: number,
    private readonly maxSpan: number,
  ) {}

  // The observations a new snapshot completes.
  next(profile: Profile): SnapshotObservations {
    const session = profile.startedAt.getTime();
    const atMs = session + profile.durationNs / 1e6;
    if (this.session !== session) {
      // a new loader run: its counters start again from zero
      this.session = session;
      this.bases.clear();
      this.errnoBases.clear();
    }
    const series: SeriesObservation[] = [];
    const seen = new Set<string>();
    const visit = (s: SyscallStats, id: AnomalySeries, key: string): void => {
      seen.add(key);
      const obs = this.observe(key, id, s, atMs);
      if (obs !== null) series.push(obs);
    };
    if (this.by === 'syscall') {
      for (const s of profile.syscalls) visit(s, { syscall: s.name, tgid: null, comm: null }, s.name);
    } else {
      for (const p of profile.processes) {
        // the loader's folded pseudo-process (evicted exits) is no process
        if (!Number.isInteger(p.tgid) || p.tgid <= 0) continue;
        for (const s of p.syscalls) visit(s, { syscall: s.name, tgid: p.tgid, comm: p.comm }, `${p.tgid}/${p.comm}/${s.name}`);
      }
    }
    const gone: string[] = [];
    for (const key of this.bases.keys()) {
      if (!seen.has(key)) {
        gone.push(key);
        this.bases.delete(key);
      }
    }
    return { atMs, series, errnos: this.errnoObservations(profile), gone };
  }

  private observe(key: string, id: AnomalySeries, cur: SyscallStats, atMs: number): SeriesObservation | null {
    const base = this.bases.get(key);
    if (base === undefined || cur.count < base.stats.count || cur.histogram.layout !== base.stats.histogram.layout) {
      this.bases.set(key, { stats: cur, atMs, intervals: 0 });
      return null;
    }
    const calls = cur.count - base.stats.count;
    const timed = cur.histogram.total - base.stats.histogram.total;
    const intervals = base.intervals + 1;
    if (calls < this.minCalls && intervals < this.maxSpan) {
      this.bases.set(key, { ...base, intervals });
      return null;
    }
    this.bases.set(key, { stats: cur, atMs, intervals: 0 });
    const p99Ns = timed >= this.minCalls ? deltaHistogram(cur.histogram, base.stats.histogram).percentile(tailQuantile(timed)) : null;
    return { key, series: id, calls, errors: Math.max(0, cur.errors - base.stats.errors), p99Ns, spanMs: atMs - base.atMs };
  }

  private errnoObservations(profile: Profile): ErrnoObservation[] {
    const out: ErrnoObservation[] = [];
    for (const s of profile.syscalls) {
      if (s.errnos === undefined) continue;
      const now = new Map(s.errnos.map((e) => [e.errno, e.count] as const));
      const base = this.errnoBases.get(s.name);
      this.errnoBases.set(s.name, { count: s.count, errnos: now });
      if (base === undefined || s.count <= base.count) continue;
      const errnos = new Map<number, number>();
      for (const [errno, count] of now) {
        const d = count - (base.errnos.get(errno) ?? 0);
        if (d > 0) errnos.set(errno, d);
      }
      out.push({ syscall: s.name, calls: s.count - base.count, errnos });
    }
    return out;
  }
}

// cur - base, bucket by bucket (both cumulative, of the same layout; a bucket that went down counts 0).
export function deltaHistogram(cur: LatencyHistogram, base: LatencyHistogram): LatencyHistogram {
  const now = cur.sortedColumns();
  const before = base.sortedColumns();
  const indexes: number[] = [];
  const counts: number[] = [];
  // both sorted by index: one walk
  let j = 0;
  for (let i = 0; i < now.indexes.length; i++) {
    const index = now.indexes[i]!;
    while (j < before.indexes.length && before.indexes[j]! < index) j++;
    const d = now.counts[i]! - (before.indexes[j] === index ? before.counts[j]! : 0);
    if (d > 0) {
      indexes.push(index);
      counts.push(d);
    }
  }
  return LatencyHistogram.fromColumns(cur.layout, indexes, counts);
}
