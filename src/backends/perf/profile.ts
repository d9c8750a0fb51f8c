// Aggregating per-call events into the model's Profile (for backends whose only output is events).
import { EventBatch } from '../../model/events.js';
import { LatencyHistogram } from '../../model/histogram.js';
import type { HistogramLayout } from '../../model/histogram-layout.js';
import { emptyHealth, type Profile, type StopReason, type SyscallStats, type Target, type TargetExit } from '../../model/profile.js';

// The fine layout: 8 sub-buckets per power of two, 336 buckets (to 2^43 ns).
export const FINE_LAYOUT: HistogramLayout = { subBits: 3, buckets: 336 };

// What the events alone cannot tell.
export interface ProfileContext {
  readonly backend: string;
  readonly target: Target;
  readonly startedAt: Date;
  readonly durationNs: number;
  readonly lostEvents: number;
  // calls whose entry was not seen (started before tracing)
  readonly missedStarts: number;
  readonly exit: TargetExit | null;
  readonly stopReason: StopReason;
}

class Acc {
  count = 0;
  errors = 0;
  totalNs = 0;
  maxNs = 0;
  readonly histogram = new LatencyHistogram(FINE_LAYOUT);
  constructor(
    readonly name: string,
    readonly nr: number | null,
  ) {}
}

function stats(acc: Iterable<Acc>): SyscallStats[] {
  return [...acc]
    .map((a) => ({ name: a.name, nr: a.nr, count: a.count, errors: a.errors, totalNs: a.totalNs, maxNs: a.maxNs, histogram: a.histogram }))
    .sort((x, y) => y.totalNs - x.totalNs || x.name.localeCompare(y.name));
}

// The final Profile of a capture's events (batches consumed once).
export async function eventsToProfile(batches: AsyncIterable<EventBatch> | Iterable<EventBatch>, ctx: ProfileContext): Promise<Profile> {
  const all = new Map<string, Acc>();
  const procs = new Map<number, { comm: string; syscalls: Map<string, Acc> }>();
  const add = (m: Map<string, Acc>, name: string, nr: number, ns: number, failed: boolean): void => {
    let a = m.get(name);
    if (a === undefined) m.set(name, (a = new Acc(name, nr < 0 ? null : nr)));
    a.count += 1;
    a.totalNs += ns;
    if (ns > a.maxNs) a.maxNs = ns;
    if (failed) a.errors += 1;
    a.histogram.addValue(ns);
  };
  for await (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      const name = b.syscall[i]!;
      const ns = b.durationNs[i]!;
      const ret = b.ret[i]!;
      const failed = ret < 0 && ret >= -4095;
      add(all, name, b.nr[i]!, ns, failed);
      let p = procs.get(b.pid[i]!);
      if (p === undefined) procs.set(b.pid[i]!, (p = { comm: '', syscalls: new Map() }));
      if (b.comm[i]) p.comm = b.comm[i]!;
      add(p.syscalls, name, b.nr[i]!, ns, failed);
    }
  }
  return {
    backend: ctx.backend,
    arch: 'x86_64',
    target: ctx.target,
    startedAt: ctx.startedAt,
    durationNs: ctx.durationNs,
    final: true,
    syscalls: stats(all.values()),
    processes: [...procs].map(([tgid, p]) => ({ tgid, comm: p.comm, syscalls: stats(p.syscalls.values()) })).sort((a, b) => a.tgid - b.tgid),
    inFlight: [],
    health: { ...emptyHealth(), lostEvents: ctx.lostEvents, missedStarts: ctx.missedStarts },
    cost: { enabled: false, programs: [], windowNs: null, memoryBytes: null },
    exit: ctx.exit,
    stopReason: ctx.stopReason,
  };
}
