// Cumulative, monotonic export state fed by Profile snapshots.
//
// Every snapshot is turned into deltas against the previous one and the deltas
// are added to the series, so counters never go down: not when a process exits
// and the loader evicts it, not when a pid is reused, not when the loader
// restarts. With per-process labels (comm, cgroup, ...) the per-process stats
// are the source; whatever the per-syscall totals counted beyond them (calls of
// processes that exited between two snapshots, per-process drops) goes to one
// series per syscall with comm "(exited)". The loader's own "exited" pseudo
// process is therefore not read at all (it would count those calls twice).
import { categoryOfName } from '../../core/model/categories.js';
import { errnoNameOf } from '../../core/model/errno.js';
import type { Profile, ProcessStats } from '../../core/model/profile.js';
import { shortContainerId, type CgroupInfo } from '../../core/system/cgroup.js';
import { foldHistogram } from './bounds.js';
import { addInto, deltaOf, emptyFolded, foldStats, isEmpty, takePositive, type Folded } from './folded.js';
import { EXITED, PROCESS_LABELS, type LabelName } from './labels.js';
import { SeriesStore } from './series-store.js';
import { TcpSeries } from './tcp-series.js';
import { StackHealthSeries } from './stack-health-series.js';

// Failed calls of one syscall with one errno, since the accumulator started.
export interface ErrnoSeries {
  readonly syscall: string;
  // its name (ENOENT), or the number when unknown
  readonly errno: string;
  count: number;
}

// One io_uring opcode's requests (all processes), since the accumulator started.
export interface IoUringSeries {
  readonly op: string;
  readonly folded: Folded;
  punted: number;
}

// What the accumulator needs besides snapshots.
export interface AccumulatorOptions {
  readonly labels: readonly LabelName[];
  readonly maxSeries: number;
  // cgroup of a live process (cached by the caller); needed for cgroup/container/service
  readonly cgroupOf?: (tgid: number, comm: string) => CgroupInfo | null;
  // told when a process left the snapshots (to drop caches keyed by tgid)
  readonly onProcessGone?: (tgid: number) => void;
}

// Cumulative counters besides the syscall series.
export interface Totals {
  lostEvents: number;
  processDrops: number;
  missedStarts: number;
  // estimated from the sampled run-time statistics (see cpuDelta)
  bpfCpuNs: number;
  // CPU time of the traced processes, when the backend reports it
  targetCpuNs: number | null;
  labelFolds: number;
  snapshots: number;
}

// Gauges: the latest values.
export interface Gauges {
  bpfMemoryBytes: number | null;
  liveProcesses: number;
  // wall-clock time of the latest snapshot, ms since the epoch; null before the first
  lastSnapshotMs: number | null;
  // 1 call in this many is timed (--sample); 1: every call
  samplePeriod: number;
}

interface SourceState {
  folded: Folded;
  // this source's label set was folded into `other` (counted once)
  foldNoted: boolean;
}

interface ProcState {
  readonly syscalls: Map<string, SourceState>;
}

interface Baseline {
  readonly session: number;
  durationNs: number;
  lostEvents: number;
  processDrops: number;
  missedStarts: number;
  costRunNs: number;
  costWindowNs: number;
  targetCpuNs: number | null;
}

// A pseudo-process the loader reports for folded (evicted) processes: not a real tgid or named "(exited)".
export function isPseudoProcess(p: ProcessStats): boolean {
  return !Number.isInteger(p.tgid) || p.tgid <= 0 || p.comm === EXITED || p.comm === 'exited';
}

// Snapshots in, cumulative series and counters out.
export class ExportAccumulator {
  readonly store: SeriesStore;
  // the kernel's TCP connection counts, per peer (their own cap: --max-series)
  readonly tcp: TcpSeries;
  // what happened to the slow calls (--stacks)
  readonly stacks = new StackHealthSeries();
  readonly totals: Totals = { lostEvents: 0, processDrops: 0, missedStarts: 0, bpfCpuNs: 0, targetCpuNs: null, labelFolds: 0, snapshots: 0 };
  readonly gauges: Gauges = { bpfMemoryBytes: null, liveProcesses: 0, lastSnapshotMs: null, samplePeriod: 1 };
  private readonly perProcess: boolean;
  private base: Baseline | null = null;
  private readonly bySyscall = new Map<string, SourceState>();
  private readonly byProc = new Map<number, ProcState>();
  // per syscall: totals counted minus what the processes were credited (signed)
  private readonly balance = new Map<string, Folded>();
  // failed calls by (syscall, errno), all processes: the counters and this session's last readings
  private readonly errnoCounts = new Map<string, ErrnoSeries>();
  private readonly errnoBase = new Map<string, number>();
  // io_uring requests by opcode: the counters and this session's last readings
  private readonly uringCounts = new Map<string, IoUringSeries>();
  private readonly uringBase = new Map<string, { folded: Folded; punted: number }>();

  constructor(private readonly options: AccumulatorOptions) {
    this.store = new SeriesStore(options.labels, options.maxSeries);
    this.tcp = new TcpSeries(options.maxSeries);
    this.perProcess = options.labels.some((l) => PROCESS_LABELS.has(l));
  }

  // Processes whose last reading is kept (for tests of bounded memory).
  get trackedProcesses(): number {
    return this.byProc.size;
  }

  // Takes one cumulative snapshot.
  update(profile: Profile): void {
    const session = profile.startedAt.getTime();
    if (this.base === null || this.base.session !== session || profile.durationNs < this.base.durationNs) this.newSession(session);
    this.totals.snapshots += 1;
    this.gauges.lastSnapshotMs = session + profile.durationNs / 1e6;
    this.gauges.samplePeriod = profile.samplePeriod ?? 1;
    this.updateCounters(profile);
    this.updateErrnos(profile);
    this.updateIoUring(profile);
    this.tcp.update(profile);
    this.stacks.update(profile);
    if (this.perProcess) this.updateByProcess(profile);
    else this.updateBySyscall(profile);
  }

  // A new loader run: forget every baseline, keep every series.
  private newSession(session: number): void {
    this.base = { session, durationNs: 0, lostEvents: 0, processDrops: 0, missedStarts: 0, costRunNs: 0, costWindowNs: 0, targetCpuNs: null };
    this.bySyscall.clear();
    for (const tgid of this.byProc.keys()) this.options.onProcessGone?.(tgid);
    this.byProc.clear();
    this.balance.clear();
    this.errnoBase.clear();
    this.uringBase.clear();
    this.tcp.newSession();
    this.stacks.newSession();
  }

  // io_uring requests by opcode, when the backend traced them (none otherwise).
  get ioUringSeries(): readonly IoUringSeries[] {
    return [...this.uringCounts.values()];
  }

  // per opcode over all processes (the loader never evicts io_uring entries: readings only grow in a session)
  private updateIoUring(profile: Profile): void {
    for (const o of profile.ioUring?.ops ?? []) {
      const now: Folded = { buckets: foldHistogram(o.histogram), calls: o.count, errors: o.errors, sumNs: o.totalNs, offCpuNs: null, runqNs: null };
      const before = this.uringBase.get(o.op);
      const delta = deltaOf(now, before?.folded);
      const punted = delta === now ? o.punted : Math.max(0, o.punted - before!.punted);
      this.uringBase.set(o.op, { folded: now, punted: o.punted });
      if (isEmpty(delta) && punted === 0) continue;
      const series = this.uringCounts.get(o.op) ?? { op: o.op, folded: emptyFolded(), punted: 0 };
      addInto(series.folded, delta);
      series.punted += punted;
      this.uringCounts.set(o.op, series);
    }
  }

  // Failed calls by (syscall, errno): at most the loader's table size (4096) of them.
  get errnoSeries(): readonly ErrnoSeries[] {
    return [...this.errnoCounts.values()];
  }

  private updateErrnos(profile: Profile): void {
    for (const st of profile.syscalls) {
      for (const e of st.errnos ?? []) {
        const key = `${st.name}/${e.errno}`;
        const delta = e.count - (this.errnoBase.get(key) ?? 0);
        this.errnoBase.set(key, Math.max(e.count, this.errnoBase.get(key) ?? 0));
        if (delta <= 0) continue;
        const series = this.errnoCounts.get(key) ?? { syscall: st.name, errno: errnoNameOf(e.errno) ?? String(e.errno), count: 0 };
        series.count += delta;
        this.errnoCounts.set(key, series);
      }
    }
  }

  private updateCounters(profile: Profile): void {
    const base = this.base!;
    const h = profile.health;
    this.totals.lostEvents += Math.max(0, h.lostEvents - base.lostEvents);
    this.totals.processDrops += Math.max(0, h.processDrops - base.processDrops);
    this.totals.missedStarts += Math.max(0, h.missedStarts - base.missedStarts);
    base.lostEvents = Math.max(base.lostEvents, h.lostEvents);
    base.processDrops = Math.max(base.processDrops, h.processDrops);
    base.missedStarts = Math.max(base.missedStarts, h.missedStarts);

    const cost = profile.cost;
    const runNs = cost.programs.reduce((n, p) => n + p.runTimeNs, 0);
    const windowNs = cost.windowNs ?? profile.durationNs;
    if (cost.enabled) {
      this.totals.bpfCpuNs += cpuDelta(runNs - base.costRunNs, windowNs - base.costWindowNs, profile.durationNs - base.durationNs);
      base.costRunNs = Math.max(base.costRunNs, runNs);
      base.costWindowNs = Math.max(base.costWindowNs, windowNs);
    }
    this.gauges.bpfMemoryBytes = cost.memoryBytes;

    // Profile.cpuNs is optional (not every backend or loader version has it)
    const cpuNs = (profile as { readonly cpuNs?: number | null }).cpuNs;
    if (typeof cpuNs === 'number' && Number.isFinite(cpuNs)) {
      this.totals.targetCpuNs = (this.totals.targetCpuNs ?? 0) + Math.max(0, cpuNs - (base.targetCpuNs ?? 0));
      base.targetCpuNs = Math.max(base.targetCpuNs ?? 0, cpuNs);
    }
    base.durationNs = profile.durationNs;
  }

  private updateBySyscall(profile: Profile): void {
    for (const st of profile.syscalls) {
      const now = foldStats(st, this.gauges.samplePeriod);
      const state = this.bySyscall.get(st.name);
      const delta = deltaOf(now, state?.folded);
      const source = state ?? { folded: now, foldNoted: false };
      source.folded = now;
      this.bySyscall.set(st.name, source);
      if (!isEmpty(delta)) this.credit(source, this.valuesFor(st.name, null, null), delta);
    }
    this.gauges.liveProcesses = profile.processes.filter((p) => !isPseudoProcess(p)).length;
  }

  private updateByProcess(profile: Profile): void {
    // per-syscall totals: what every process together did since the last snapshot
    for (const st of profile.syscalls) {
      const now = foldStats(st, this.gauges.samplePeriod);
      const state = this.bySyscall.get(st.name);
      const delta = deltaOf(now, state?.folded);
      this.bySyscall.set(st.name, { folded: now, foldNoted: false });
      addInto(this.balanceOf(st.name), delta);
    }
    const seen = new Set<number>();
    for (const proc of profile.processes) {
      if (isPseudoProcess(proc)) continue;
      seen.add(proc.tgid);
      let state = this.byProc.get(proc.tgid);
      if (state === undefined) {
        state = { syscalls: new Map() };
        this.byProc.set(proc.tgid, state);
      }
      const cgroup = this.needsCgroup() ? (this.options.cgroupOf?.(proc.tgid, proc.comm) ?? null) : null;
      for (const st of proc.syscalls) {
        const now = foldStats(st, this.gauges.samplePeriod);
        const source = state.syscalls.get(st.name);
        const delta = deltaOf(now, source?.folded);
        const next = source ?? { folded: now, foldNoted: false };
        next.folded = now;
        state.syscalls.set(st.name, next);
        if (isEmpty(delta)) continue;
        addInto(this.balanceOf(st.name), delta, -1);
        this.credit(next, this.valuesFor(st.name, proc.comm, cgroup), delta);
      }
    }
    // processes gone from the snapshot: their counts stay in their series
    for (const tgid of [...this.byProc.keys()]) {
      if (seen.has(tgid)) continue;
      this.byProc.delete(tgid);
      this.options.onProcessGone?.(tgid);
    }
    this.gauges.liveProcesses = seen.size;
    // what the totals counted beyond the live processes
    for (const [name, balance] of this.balance) {
      const rest = takePositive(balance);
      if (isEmpty(rest)) continue;
      const source = this.bySyscall.get(name)!;
      this.credit(source, this.valuesFor(name, EXITED, null), rest);
    }
  }

  private credit(source: SourceState, values: string[], delta: Folded): void {
    const { key, folded } = this.store.resolve(values);
    if (folded && !source.foldNoted) {
      source.foldNoted = true;
      this.totals.labelFolds += 1;
    }
    this.store.add(key, delta);
  }

  private balanceOf(name: string): Folded {
    let b = this.balance.get(name);
    if (b === undefined) {
      b = emptyFolded();
      this.balance.set(name, b);
    }
    return b;
  }

  private needsCgroup(): boolean {
    return this.options.labels.some((l) => l === 'cgroup' || l === 'container' || l === 'service');
  }

  // Label values in the store's label order.
  private valuesFor(syscall: string, comm: string | null, cgroup: CgroupInfo | null): string[] {
    return this.options.labels.map((label) => {
      switch (label) {
        case 'syscall':
          return syscall;
        case 'category':
          return categoryOfName(syscall);
        case 'comm':
          return comm ?? '';
        case 'cgroup':
          return cgroup?.path ?? '';
        case 'container':
          return shortContainerId(cgroup?.containerId ?? null);
        case 'service':
          return cgroup?.service ?? '';
      }
    });
  }
}

// BPF CPU time of one interval: the run time the kernel measured, scaled from
// the sampled window to the whole interval (the loader turns the statistics on
// for part of each interval only: they cost about as much as the tracing).
export function cpuDelta(runNs: number, windowNs: number, intervalNs: number): number {
  if (runNs <= 0) return 0;
  if (windowNs <= 0 || intervalNs <= 0) return runNs;
  return (runNs / windowNs) * Math.max(intervalNs, windowNs);
}
