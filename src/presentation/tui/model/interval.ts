// One interval of the live view: the difference of two consecutive cumulative
// snapshots, per syscall, per process and per category.
import type { Anomaly } from '../../../core/analysis/anomaly.js';
import { CATEGORY_LABELS, categoryOfName, isWaiting, type Category } from '../../../core/model/categories.js';
import type { CgroupInfo } from '../../../core/system/cgroup.js';
import type { LatencyHistogram } from '../../../core/model/histogram.js';
import type { StackProfile, StackStats } from '../../../core/model/stacks.js';
import { ioUringRowName } from '../../../core/analysis/io-uring-aggregate.js';
import type { IoUringOpStats } from '../../../core/model/io-uring.js';
import type { ProcessStats, Profile, SyscallStats, Target } from '../../../core/model/profile.js';
import { tcpRows, type TcpRow } from '../../../core/analysis/tcp-rows.js';
import { describeTarget } from '../../render/describe.js';
import { diffHistogram, intervalMaxNs } from './histogram-diff.js';
import { liveRow, mergeHistograms, type LiveRow, type RowCounts } from './live-row.js';
import { isWaitingSyscall } from './waits.js';

// The calls of one syscall in one interval.
export interface IntervalStats {
  readonly name: string;
  readonly count: number;
  readonly errors: number;
  readonly totalNs: number;
  // computed on demand: the interval histogram and its maximum
  detail(): { readonly histogram: LatencyHistogram; readonly maxNs: number };
}

// Per-thread and per-file rows of an interval (event mode), or null without events.
export interface EventViews {
  readonly threads: readonly LiveRow[];
  readonly files: readonly LiveRow[];
}

// Everything the live screen shows for one interval.
export interface LiveFrame {
  // 1 for the first snapshot
  readonly seq: number;
  readonly backend: string;
  readonly target: Target;
  // "Command: make -j8, with children"
  readonly targetText: string;
  // how long the session has run
  readonly uptimeNs: number;
  readonly intervalNs: number;
  // the last snapshot of the session
  readonly final: boolean;
  readonly calls: number;
  readonly errors: number;
  readonly callsPerSec: number;
  readonly errorsPerSec: number;
  // traced time (sum of syscall durations) in the interval
  readonly tracedNs: number;
  // of tracedNs, the time in waiting calls (epoll_wait, futex, sleeps...): the rest is working time
  readonly waitNs: number;
  // records lost since the start, and in this interval
  readonly lostEvents: number;
  readonly lostEventsDelta: number;
  // the profiler's BPF run time in this interval as a share of one CPU; null when unknown
  readonly costShare: number | null;
  // kernel memory of the profiler's maps, when known
  readonly memoryBytes: number | null;
  // 1 call in this many is timed (--sample; counts stay exact); 1: every call. Optional for hand-made frames
  readonly samplePeriod?: number;
  // what the --cgroup target's path says (container id, service); null for other targets
  readonly cgroup: CgroupInfo | null;
  readonly syscalls: readonly LiveRow[];
  readonly processes: readonly LiveRow[];
  readonly categories: readonly LiveRow[];
  // null when the session has no per-call events (needs --events)
  readonly threads: readonly LiveRow[] | null;
  readonly files: readonly LiveRow[] | null;
  // per io_uring opcode, submission to completion; null when io_uring is not traced
  readonly ioUring: readonly LiveRow[] | null;
  // the interval's syscalls, for findings and the histogram panel
  readonly intervalSyscalls: readonly IntervalStats[];
  // the same for one process row key (empty for others), for the findings about one process
  processSyscalls(key: string): readonly IntervalStats[];
  // the kernel's TCP figures since the start, per process and port; null (or absent) when not measured
  readonly tcp?: readonly TcpRow[] | null;
  // the anomalies active at this snapshot and its wall clock (ms); absent when detection is off
  readonly anomalies?: { readonly active: readonly Anomaly[]; readonly atMs: number };
  // --stacks: the stacks of the interval's slow calls (computed when asked); absent or null without stacks
  readonly intervalStacks?: () => StackProfile | null;
}

// The key of a process row.
export function processKey(tgid: number): string {
  return `pid ${tgid}`;
}

// The process id in a process row's key, or null for another kind of row.
export function tgidOfKey(key: string): number | null {
  const m = /^pid (\d+)$/.exec(key);
  return m === null ? null : Number(m[1]);
}

// The interval stats of a syscall: cur minus prev (prev null, or counts that went
// backwards, e.g. a reused pid: all of cur).
export function diffSyscall(cur: SyscallStats, prev: SyscallStats | undefined): IntervalStats {
  const base = prev !== undefined && prev.count <= cur.count ? prev : undefined;
  let detail: { histogram: LatencyHistogram; maxNs: number } | null = null;
  return {
    name: cur.name,
    count: cur.count - (base?.count ?? 0),
    errors: Math.max(0, cur.errors - (base?.errors ?? 0)),
    totalNs: Math.max(0, cur.totalNs - (base?.totalNs ?? 0)),
    detail() {
      if (detail === null) {
        const histogram = diffHistogram(cur.histogram, base?.histogram ?? null);
        detail = { histogram, maxNs: intervalMaxNs(histogram, cur.maxNs, base?.maxNs ?? null) };
      }
      return detail;
    },
  };
}

// The interval of each syscall in `cur` (syscalls absent from cur had no calls).
export function diffSyscalls(cur: readonly SyscallStats[], prev: readonly SyscallStats[] | null): IntervalStats[] {
  const before = new Map((prev ?? []).map((s) => [s.name, s]));
  return cur.map((s) => diffSyscall(s, before.get(s.name))).filter((s) => s.count > 0);
}

// The frame of `cur` given the snapshot before it (null for the first).
export function buildFrame(prev: Profile | null, cur: Profile, seq: number, events: EventViews | null = null): LiveFrame {
  const intervalNs = Math.max(0, cur.durationNs - (prev?.durationNs ?? 0));
  const perSec = intervalNs > 0 ? 1e9 / intervalNs : 0;
  const syscalls = diffSyscalls(cur.syscalls, prev?.syscalls ?? null);
  const calls = syscalls.reduce((n, s) => n + s.count, 0);
  const errors = syscalls.reduce((n, s) => n + s.errors, 0);
  const tracedNs = syscalls.reduce((n, s) => n + s.totalNs, 0);
  const waitNs = syscalls.reduce((n, s) => n + (isWaitingSyscall(s.name) ? s.totalNs : 0), 0);
  const times: IntervalTimes = { intervalNs, tracedNs, workingNs: tracedNs - waitNs };
  const prevLost = prev?.health.lostEvents ?? 0;
  const processParts = new Map<string, () => IntervalStats[]>();
  return {
    seq,
    backend: cur.backend,
    target: cur.target,
    targetText: describeTarget(cur).join(': '),
    uptimeNs: cur.durationNs,
    intervalNs,
    final: cur.final,
    calls,
    errors,
    callsPerSec: calls * perSec,
    errorsPerSec: errors * perSec,
    tracedNs,
    waitNs,
    lostEvents: cur.health.lostEvents,
    lostEventsDelta: Math.max(0, cur.health.lostEvents - prevLost),
    costShare: costShare(prev, cur),
    memoryBytes: cur.cost.memoryBytes,
    samplePeriod: cur.samplePeriod ?? 1,
    cgroup: null,
    syscalls: syscalls.map((s) => {
      const waits = isWaitingSyscall(s.name);
      return row(
        { key: s.name, label: s.name, syscall: s.name, calls: s.count, errors: s.errors, totalNs: s.totalNs, waitCalls: waits ? s.count : 0, waitNs: waits ? s.totalNs : 0 },
        times,
        () => s.detail(),
      );
    }),
    processes: processRows(prev, cur, times, processParts),
    categories: categoryRows(syscalls, times),
    threads: events?.threads ?? null,
    files: events?.files ?? null,
    ioUring: ioUringRows(prev, cur, intervalNs),
    intervalSyscalls: syscalls,
    processSyscalls: (key) => processParts.get(key)?.() ?? [],
    tcp: cur.tcp == null ? null : tcpRows(cur),
    intervalStacks: () => diffStacks(prev?.stacks ?? null, cur.stacks ?? null),
  };
}

// The stacks of the slow calls between two cumulative snapshots (an entry that
// shrank counts from zero: a reused pid or a new session).
export function diffStacks(prev: StackProfile | null, cur: StackProfile | null): StackProfile | null {
  if (cur === null) return null;
  const key = (s: StackStats): string => `${s.tgid}/${s.syscall}/${s.stackId}`;
  const before = new Map((prev?.stats ?? []).map((s) => [key(s), s]));
  const stats: StackStats[] = [];
  for (const s of cur.stats) {
    const b = before.get(key(s));
    const base = b === undefined || b.count > s.count ? null : b;
    const count = s.count - (base?.count ?? 0);
    if (count <= 0) continue;
    const histogram = diffHistogram(s.histogram, base?.histogram ?? null);
    stats.push({ ...s, count, totalNs: s.totalNs - (base?.totalNs ?? 0), maxNs: intervalMaxNs(histogram, s.maxNs, base?.maxNs ?? null), histogram });
  }
  return { defs: cur.defs, stats, health: cur.health };
}

// One row per io_uring opcode with requests in the interval; its share is of
// the interval's io_uring request time (requests overlap the threads' time).
function ioUringRows(prev: Profile | null, cur: Profile, intervalNs: number): LiveRow[] | null {
  if (cur.ioUring?.traced !== true) return null;
  const asStats = (o: IoUringOpStats): SyscallStats => ({ name: ioUringRowName(o.op), nr: null, count: o.count, errors: o.errors, totalNs: o.totalNs, maxNs: o.maxNs, histogram: o.histogram });
  const diffs = diffSyscalls(cur.ioUring.ops.map(asStats), prev?.ioUring?.traced === true ? prev.ioUring.ops.map(asStats) : null);
  const totalNs = diffs.reduce((n, s) => n + s.totalNs, 0);
  return diffs.map((s) => liveRow({ key: s.name, label: s.name, syscall: null, calls: s.count, errors: s.errors, totalNs: s.totalNs }, intervalNs, totalNs, () => s.detail()));
}

// The lengths every row of an interval is measured against: the interval, its
// traced time and the working part of it (without waiting calls).
interface IntervalTimes {
  readonly intervalNs: number;
  readonly tracedNs: number;
  readonly workingNs: number;
}

// A row of the interval from its counts.
function row(counts: RowCounts, t: IntervalTimes, detail: () => { readonly histogram: LatencyHistogram | null; readonly maxNs: number }): LiveRow {
  return liveRow(counts, t.intervalNs, t.tracedNs, detail, t.workingNs);
}

// BPF run time over the sampled window of this interval; the whole session's
// ratio when the interval had no sampled window; null when not collected.
export function costShare(prev: Profile | null, cur: Profile): number | null {
  if (!cur.cost.enabled) return null;
  const run = (p: Profile | null): number => (p === null ? 0 : p.cost.programs.reduce((n, c) => n + c.runTimeNs, 0));
  const windowOf = (p: Profile | null): number => (p === null ? 0 : (p.cost.windowNs ?? p.durationNs));
  const dw = windowOf(cur) - windowOf(prev);
  const dr = run(cur) - run(prev);
  if (dw > 0 && dr >= 0) return dr / dw;
  const w = windowOf(cur);
  return w > 0 ? run(cur) / w : null;
}

// The process rows of an interval; `partsOf` gets, per row key, its syscalls'
// interval stats, made only when asked (findings, the histogram panel).
function processRows(prev: Profile | null, cur: Profile, times: IntervalTimes, partsOf: Map<string, () => IntervalStats[]>): LiveRow[] {
  const before = new Map<number, ProcessStats>((prev?.processes ?? []).map((p) => [p.tgid, p]));
  const rows: LiveRow[] = [];
  for (const p of cur.processes) {
    const old = before.get(p.tgid);
    before.delete(p.tgid);
    // most processes of a long session are idle or gone: skip them before allocating anything
    if (old !== undefined && callsOf(old) === callsOf(p)) continue;
    let calls = 0;
    let errors = 0;
    let totalNs = 0;
    let waitCalls = 0;
    let waitNs = 0;
    for (const s of p.syscalls) {
      // the same sums diffSyscall makes, without its objects
      const o = old?.syscalls.find((x) => x.name === s.name);
      const base = o !== undefined && o.count <= s.count ? o : undefined;
      const n = s.count - (base?.count ?? 0);
      const ns = Math.max(0, s.totalNs - (base?.totalNs ?? 0));
      calls += n;
      errors += Math.max(0, s.errors - (base?.errors ?? 0));
      totalNs += ns;
      if (n > 0 && isWaitingSyscall(s.name)) {
        waitCalls += n;
        waitNs += ns;
      }
    }
    // idle in this interval (snapshots keep every process seen): not a row
    if (calls === 0) continue;
    let parts: IntervalStats[] | null = null;
    const partsNow = (): IntervalStats[] => {
      // a process makes a handful of distinct syscalls: a scan beats a map
      parts ??= p.syscalls.map((s) => diffSyscall(s, old?.syscalls.find((x) => x.name === s.name))).filter((s) => s.count > 0);
      return parts;
    };
    const key = processKey(p.tgid);
    partsOf.set(key, partsNow);
    rows.push(row({ key, label: `${p.tgid} ${p.comm}`.trimEnd(), syscall: null, calls, errors, totalNs, waitCalls, waitNs }, times, () => mergedDetail(partsNow())));
  }
  // there the interval before, not now: exited (shown once, with no calls)
  for (const p of before.values()) {
    rows.push(
      row({ key: processKey(p.tgid), label: `${p.tgid} ${p.comm}`.trimEnd(), syscall: null, calls: 0, errors: 0, totalNs: 0, gone: true }, times, () => ({
        histogram: null,
        maxNs: 0,
      })),
    );
  }
  return rows;
}

function callsOf(p: ProcessStats): number {
  let n = 0;
  for (const s of p.syscalls) n += s.count;
  return n;
}

function categoryRows(syscalls: readonly IntervalStats[], times: IntervalTimes): LiveRow[] {
  const groups = new Map<Category, IntervalStats[]>();
  for (const s of syscalls) {
    const c = categoryOfName(s.name);
    const list = groups.get(c);
    if (list === undefined) groups.set(c, [s]);
    else list.push(s);
  }
  return [...groups].map(([category, parts]) => {
    const calls = parts.reduce((n, s) => n + s.count, 0);
    const totalNs = parts.reduce((n, s) => n + s.totalNs, 0);
    const waits = isWaiting(category);
    return row(
      {
        key: category,
        label: CATEGORY_LABELS[category],
        syscall: null,
        calls,
        errors: parts.reduce((n, s) => n + s.errors, 0),
        totalNs,
        waitCalls: waits ? calls : 0,
        waitNs: waits ? totalNs : 0,
      },
      times,
      () => mergedDetail(parts),
    );
  });
}

function mergedDetail(parts: readonly IntervalStats[]): { histogram: LatencyHistogram | null; maxNs: number } {
  const details = parts.map((s) => s.detail());
  return { histogram: mergeHistograms(details.map((d) => d.histogram)), maxNs: details.reduce((m, d) => Math.max(m, d.maxNs), 0) };
}
