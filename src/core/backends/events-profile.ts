// Aggregating per-call events into the model's Profile, for the backends whose
// only output is events (strace, perf trace, bpftrace): per syscall and per
// process, with the ebpf backend's fine histogram layout so percentiles behave
// the same. (src/analysis aggregates into its own Aggregate, not a Profile.)
import type { EventBatch } from '../model/events.js';
import { LatencyHistogram } from '../model/histogram.js';
import { standardLayout } from '../model/histogram-layout.js';
import {
  emptyHealth,
  type HealthCounters,
  type InFlightCall,
  type Profile,
  type ProcessStats,
  type StopReason,
  type SyscallStats,
  type Target,
  type TargetExit,
} from '../model/profile.js';
import { hostArch } from '../model/syscall-names.js';

// sub_bits 3, 336 buckets: the ebpf backend's fine layout
export const EVENTS_LAYOUT = standardLayout(3);

class Acc {
  count = 0;
  errors = 0;
  totalNs = 0;
  maxNs = 0;
  readonly histogram = new LatencyHistogram(EVENTS_LAYOUT);
  constructor(
    readonly name: string,
    readonly nr: number | null,
  ) {}

  stats(): SyscallStats {
    return { name: this.name, nr: this.nr, count: this.count, errors: this.errors, totalNs: this.totalNs, maxNs: this.maxNs, histogram: this.histogram };
  }
}

// The rest of a Profile, which events do not say.
export interface ProfileContext {
  readonly backend: string;
  // the traced machine's architecture (default: this one)
  readonly arch?: string;
  readonly target: Target;
  readonly startedAt: Date;
  readonly durationNs: number;
  readonly final: boolean;
  readonly inFlight?: readonly InFlightCall[];
  readonly health?: Partial<HealthCounters>;
  readonly exit?: TargetExit | null;
  readonly stopReason?: StopReason | null;
}

// Accumulates event batches into per-syscall and per-process statistics.
export class ProfileBuilder {
  private readonly all = new Map<string, Acc>();
  private readonly procs = new Map<number, { comm: string; syscalls: Map<string, Acc> }>();

  // Adds every row of a batch.
  add(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const name = batch.syscall[i]!;
      const nr = batch.nr[i]! < 0 ? null : batch.nr[i]!;
      const pid = batch.pid[i]!;
      let proc = this.procs.get(pid);
      if (proc === undefined) {
        proc = { comm: '', syscalls: new Map() };
        this.procs.set(pid, proc);
      }
      if (batch.comm[i] !== '') proc.comm = batch.comm[i]!;
      record(accOf(this.all, name, nr), batch, i);
      record(accOf(proc.syscalls, name, nr), batch, i);
    }
  }

  // The profile so far.
  build(context: ProfileContext): Profile {
    const processes: ProcessStats[] = [...this.procs]
      .map(([tgid, p]) => ({ tgid, comm: p.comm, syscalls: sorted(p.syscalls) }))
      .sort((a, b) => a.tgid - b.tgid);
    return {
      backend: context.backend,
      arch: context.arch ?? hostArch(),
      target: context.target,
      startedAt: context.startedAt,
      durationNs: context.durationNs,
      final: context.final,
      syscalls: sorted(this.all),
      processes,
      inFlight: context.inFlight ?? [],
      health: { ...emptyHealth(), ...context.health },
      cost: { enabled: false, programs: [], windowNs: null, memoryBytes: null },
      exit: context.exit ?? null,
      stopReason: context.stopReason ?? null,
    };
  }
}

// A Profile of a set of batches.
export function eventsToProfile(batches: Iterable<EventBatch>, context: ProfileContext): Profile {
  const b = new ProfileBuilder();
  for (const batch of batches) b.add(batch);
  return b.build(context);
}

function accOf(map: Map<string, Acc>, name: string, nr: number | null): Acc {
  let acc = map.get(name);
  if (acc === undefined) {
    acc = new Acc(name, nr);
    map.set(name, acc);
  }
  return acc;
}

function record(acc: Acc, batch: EventBatch, i: number): void {
  const d = batch.durationNs[i]!;
  acc.count += 1;
  if (batch.ret[i]! < 0 && batch.ret[i]! >= -4095) acc.errors += 1;
  acc.totalNs += d;
  if (d > acc.maxNs) acc.maxNs = d;
  acc.histogram.addValue(d);
}

// most total time first, then name
function sorted(map: Map<string, Acc>): SyscallStats[] {
  return [...map.values()].map((a) => a.stats()).sort((a, b) => b.totalNs - a.totalNs || a.name.localeCompare(b.name));
}
