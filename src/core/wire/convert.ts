// Conversion of a validated header + snapshot into the normalized Profile.
import { scaledTotal } from '../model/sampling.js';
import { LatencyHistogram } from '../model/histogram.js';
import type { HistogramLayout } from '../model/histogram-layout.js';
import { emptyHealth, type ErrnoCount, type Profile, type ProcessStats, type SyscallStats, type Target, type TargetExit, type TcpPeerStats } from '../model/profile.js';
import type { StackTable } from '../model/stacks.js';
import { syscallName } from '../model/syscall-names.js';
import { toStackProfile } from './stack-convert.js';
import type { StreamStart } from './event-types.js';
import { syscallprof } from './proto.js';
import { toIoUring } from './uring-convert.js';
import { toLayout } from './validate.js';
import type { WireHeader, WireSnapshot } from './wire.js';
import { ARCH_NAMES, STOP_REASONS } from './wire-enums.js';

// Name of this backend in profiles.
export const EBPF_BACKEND = 'ebpf';

const { Mode, CostStats, TcpDirection, TcpFamily } = syscallprof;

// The syscall table name of a validated header's arch.
export function archOf(h: WireHeader): string {
  return ARCH_NAMES.get(h.arch) ?? '';
}

// The Profile a snapshot describes; both frames must have passed validation.
// `stacks` is the stream's table of stack definitions, this snapshot's already in it.
export function toProfile(h: WireHeader, s: WireSnapshot, stacks: StackTable = new Map()): Profile {
  const fine = toLayout(h.fine!);
  const coarse = toLayout(h.coarse!);
  const arch = archOf(h);
  // measured in the kernel for every traced thread; else (an older loader) the command's rusage
  const times = h.times ? sumTimes(s.times) : null;
  // --max-overhead: the period in force now (times are scaled by it; counts are exact whatever it was)
  const current = s.samplePeriod > 0 ? s.samplePeriod : h.samplePeriod;
  const period = current > 1 ? current : 1;
  return {
    backend: EBPF_BACKEND,
    arch,
    target: toTarget(h),
    startedAt: new Date(h.startRealNs / 1e6),
    durationNs: s.monoNs - h.startMonoNs,
    final: s.final,
    syscalls: withErrnos(s.syscalls.map((st) => toStats(arch, st, fine, h.offcpu, period)), s.errnos),
    processes: toProcesses(arch, s, coarse, h.offcpu, h.times, period),
    inFlight: s.inFlight.map((f) => ({ tgid: f.tgid, tid: f.tid, nr: f.nr, syscall: syscallName(arch, f.nr), ageNs: f.ageNs })),
    health: s.health == null ? emptyHealth() : { ...emptyHealth(), ...pickHealth(s.health, h.tcp) },
    cost: {
      enabled: h.costStats !== CostStats.COST_STATS_UNSPECIFIED && h.costStats !== CostStats.COST_STATS_OFF,
      programs: s.cost.map((c) => ({ name: c.name, runTimeNs: c.runTimeNs, runCount: c.runCount })),
      windowNs: s.costWindowNs > 0 ? s.costWindowNs : null,
      memoryBytes: h.bpfMapBytes > 0 ? h.bpfMapBytes : null,
    },
    exit: s.exit == null ? null : toExit(s.exit),
    cpuNs: times !== null ? times.cpuNs : s.exit == null || s.exit.cpuNs <= 0 ? null : s.exit.cpuNs,
    threadNs: times?.lifeNs ?? null,
    threadCount: times?.threads ?? null,
    runqNs: times?.runqNs ?? null,
    stopReason: s.final ? (STOP_REASONS.get(s.stopReason) ?? 'unknown') : null,
    ioUring: toIoUring(h, s),
    ...(period > 1 ? { samplePeriod: period } : {}),
    tcp: h.tcp ? toTcp(s, coarse) : null,
    stacks: h.stacks ? toStackProfile(arch, s, stacks, coarse) : null,
  };
}

// the kernel's TCP aggregates, by process, direction, port (handshake times in the coarse layout)
function toTcp(s: WireSnapshot, layout: HistogramLayout): TcpPeerStats[] {
  const comms = new Map(s.procs.map((p) => [p.tgid, sanitize(p.comm)]));
  return s.tcp
    .map(
      (t): TcpPeerStats => ({
        tgid: t.tgid,
        comm: comms.get(t.tgid) ?? '',
        direction: t.direction === TcpDirection.TCP_DIRECTION_ACCEPT ? 'accept' : 'connect',
        family: t.family === TcpFamily.TCP_FAMILY_IPV6 ? 'ipv6' : 'ipv4',
        port: t.port,
        handshakes: t.handshakes,
        established: t.established,
        failed: t.failed,
        closed: t.closed,
        resets: t.resets,
        retransmits: t.retransmits,
        lifeNs: t.lifeNs,
        handshakeNs: t.handshakeNs,
        handshakeMaxNs: t.handshakeMaxNs,
        handshake: LatencyHistogram.fromColumns(layout, t.bucketIndex, t.bucketCount),
      }),
    )
    .sort((a, b) => a.tgid - b.tgid || a.direction.localeCompare(b.direction) || a.port - b.port || a.family.localeCompare(b.family));
}

// What a validated header says, for capture metadata.
export function toStreamStart(h: WireHeader): StreamStart {
  const arch = archOf(h);
  return {
    arch,
    target: toTarget(h),
    startRealNs: h.startRealNsText,
    events: h.events,
    filters: {
      syscalls: h.eventSyscalls.length === 0 ? null : h.eventSyscalls.map((nr) => syscallName(arch, nr)),
      minDurationNs: h.eventMinDurationNs,
      failedOnly: h.eventFailedOnly,
    },
    ringbufBytes: h.ringbufBytes,
  };
}

function toTarget(h: WireHeader): Target {
  switch (h.mode) {
    case Mode.MODE_PID:
      return { kind: 'pids', pids: [...h.pids], follow: h.follow };
    case Mode.MODE_COMMAND:
      return { kind: 'command', argv: [...h.command], follow: h.follow };
    case Mode.MODE_CGROUP:
      return { kind: 'cgroup', path: h.cgroup, follow: h.follow };
    default:
      return { kind: 'all', follow: h.follow };
  }
}

function toStats(arch: string, st: syscallprof.SyscallStats, layout: HistogramLayout, offcpu: boolean, period: number): SyscallStats {
  const name = syscallName(arch, st.nr);
  // the histogram keeps the wire's bucket arrays (the wire object is dropped after this)
  const histogram = LatencyHistogram.fromColumns(layout, st.bucketIndex, st.bucketCount);
  if (period > 1) {
    // sampled: times of the timed calls only (the histogram's total), scaled to estimates
    const stats = { name, nr: st.nr, count: st.count, errors: st.errors, totalNs: scaledTotal(st.totalNs, period), maxNs: st.maxNs, histogram, timedCalls: histogram.total };
    return offcpu ? { ...stats, offCpuNs: scaledTotal(st.offCpuNs, period), runqNs: scaledTotal(st.runqNs, period) } : stats;
  }
  // two literals rather than a spread: one fixed shape each, made by the thousand per snapshot
  return offcpu
    ? { name, nr: st.nr, count: st.count, errors: st.errors, totalNs: st.totalNs, maxNs: st.maxNs, histogram, offCpuNs: st.offCpuNs, runqNs: st.runqNs }
    : { name, nr: st.nr, count: st.count, errors: st.errors, totalNs: st.totalNs, maxNs: st.maxNs, histogram };
}

// the per-errno counts of each syscall, most first (only syscalls with errors get them)
function withErrnos(stats: SyscallStats[], errnos: readonly syscallprof.ErrnoCount[]): SyscallStats[] {
  if (errnos.length === 0) return stats;
  const byNr = new Map<number, ErrnoCount[]>();
  for (const e of errnos) {
    const list = byNr.get(e.nr) ?? [];
    list.push({ errno: e.err, count: e.count });
    byNr.set(e.nr, list);
  }
  return stats.map((s) => {
    const list = s.nr === null ? undefined : byNr.get(s.nr);
    return list === undefined ? s : { ...s, errnos: list.sort((a, b) => b.count - a.count || a.errno - b.errno) };
  });
}

// the processes that made syscalls, each with its threads' times when measured (a
// process with times but no syscall is in the profile's totals, not listed)
function toProcesses(arch: string, s: WireSnapshot, layout: HistogramLayout, offcpu: boolean, timed: boolean, period: number): ProcessStats[] {
  const byTgid = new Map<number, SyscallStats[]>();
  for (const p of s.procs) byTgid.set(p.tgid, []);
  for (const st of s.processes) {
    const list = byTgid.get(st.tgid) ?? [];
    list.push(toStats(arch, st, layout, offcpu, period));
    byTgid.set(st.tgid, list);
  }
  const comms = new Map(s.procs.map((p) => [p.tgid, sanitize(p.comm)]));
  const times = new Map(timed ? s.times.map((t) => [t.tgid, t]) : []);
  return [...byTgid]
    .sort((a, b) => a[0] - b[0])
    .map(([tgid, syscalls]) => {
      const t = times.get(tgid);
      const proc = { tgid, comm: comms.get(tgid) ?? '', syscalls };
      return t === undefined ? proc : { ...proc, cpuNs: t.cpuNs, lifeNs: t.lifeNs, threads: t.threads };
    });
}

// every process's times added up (tgid 0 included: the processes the loader evicted)
function sumTimes(times: readonly syscallprof.ProcessTime[]): { cpuNs: number; lifeNs: number; threads: number; runqNs: number } {
  const sum = { cpuNs: 0, lifeNs: 0, threads: 0, runqNs: 0 };
  for (const t of times) {
    sum.runqNs += t.runqNs;
    sum.cpuNs += t.cpuNs;
    sum.lifeNs += t.lifeNs;
    sum.threads += t.threads;
  }
  return sum;
}

function pickHealth(w: syscallprof.Health, tcp: boolean): Profile['health'] {
  return {
    ...(tcp ? { tcpDrops: w.tcpDrops } : {}),
    missedStarts: w.missedStarts,
    processDrops: w.processDrops,
    untrackedThreads: w.untrackedThreads,
    lostEvents: w.lostEvents,
    badSyscallNr: w.badSyscallNr,
    inFlightTruncated: w.inFlightTruncated,
    timeDrops: w.timeDrops,
  };
}

function toExit(e: syscallprof.TargetExit): TargetExit {
  return e.exited ? { pid: e.pid, kind: 'exited', code: e.code } : { pid: e.pid, kind: 'killed', signal: e.signal };
}

// comm is set by the traced program itself: keep terminal control characters out
function sanitize(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
