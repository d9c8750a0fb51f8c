// Contract checks on decoded frames: everything conversion relies on, checked first.
import { ioUringRequestsProblem } from './uring-event-decode.js';
import { layoutProblem, type HistogramLayout } from '../model/histogram-layout.js';
import { MAX_ERRNO } from '../model/errno.js';
import { syscallprof } from './proto.js';
import { ioUringProblem } from './uring-convert.js';
import type { WireEventBatch, WireHeader, WireSnapshot } from './wire.js';
import { ARCH_NAMES, COST_STATS_NAMES, MODE_NAMES } from './wire-enums.js';

// The wire format version the loader writes, and the oldest this controller
// reads (version 1 had strings where version 2 has enums: header-decode.ts).
export const WIRE_VERSION = 2;
const OLDEST_WIRE_VERSION = 1;

const { Arch, Mode, CostStats } = syscallprof;
const DataKind = syscallprof.EventData.Kind;
const ProcessKind = syscallprof.ProcessEvent.Kind;

// A decoded layout in model form.
export function toLayout(layout: syscallprof.HistogramLayout): HistogramLayout {
  return { subBits: layout.subBits, buckets: layout.buckets };
}

// What is wrong with a header, or null.
export function headerProblem(h: WireHeader): string | null {
  if (h.version < OLDEST_WIRE_VERSION || h.version > WIRE_VERSION) {
    return `unsupported wire version ${h.version} (this controller reads ${OLDEST_WIRE_VERSION} to ${WIRE_VERSION})`;
  }
  if (h.arch === Arch.ARCH_UNSPECIFIED) return 'header has no arch';
  if (!ARCH_NAMES.has(h.arch)) return `unknown arch ${h.arch}`;
  if (!MODE_NAMES.has(h.mode)) return `unknown mode ${h.mode}`;
  // unspecified: the loader did not say (cost statistics off)
  if (h.costStats !== CostStats.COST_STATS_UNSPECIFIED && !COST_STATS_NAMES.has(h.costStats)) return `unknown cost_stats ${h.costStats}`;
  if (h.mode === Mode.MODE_PID && h.pids.length === 0) return 'mode "pid" without pids';
  if (h.mode === Mode.MODE_COMMAND && h.command.length === 0) return 'mode "command" without a command';
  if (h.mode === Mode.MODE_CGROUP && h.cgroup === '') return 'mode "cgroup" without a cgroup';
  if (h.pids.some((pid) => pid === 0)) return 'pid 0 in the target pids';
  if (h.events && h.ringbufBytes !== 0 && (h.ringbufBytes & (h.ringbufBytes - 1)) !== 0) {
    return `ring buffer size ${h.ringbufBytes} is not a power of two`;
  }
  if (h.eventSyscalls.some((nr) => nr > MAX_SYSCALL_NR)) return `event syscall filter holds nr > ${MAX_SYSCALL_NR}`;
  for (const [name, layout] of [['fine', h.fine], ['coarse', h.coarse]] as const) {
    if (layout == null) return `header has no ${name} layout`;
    const problem = layoutProblem(toLayout(layout));
    if (problem !== null) return `${name} layout: ${problem}`;
  }
  return null;
}

// The largest sample period a loader sets (its --sample and --max-overhead limit).
const MAX_WIRE_SAMPLE_PERIOD = 65536;

// What is wrong with a snapshot read under this (valid) header, or null.
export function snapshotProblem(s: WireSnapshot, h: WireHeader): string | null {
  if (s.monoNs < h.startMonoNs) return `snapshot time ${s.monoNs} precedes the start ${h.startMonoNs}`;
  if (s.samplePeriod > MAX_WIRE_SAMPLE_PERIOD) return `sample period ${s.samplePeriod} is above ${MAX_WIRE_SAMPLE_PERIOD}`;
  const seenNr = new Set<number>();
  const fine = toLayout(h.fine!);
  for (const st of s.syscalls) {
    if (st.nr > MAX_SYSCALL_NR) return `syscall nr ${st.nr} is above ${MAX_SYSCALL_NR}`;
    if (st.tgid !== 0) return `per-syscall stats of nr ${st.nr} carry tgid ${st.tgid}, expected 0`;
    if (seenNr.has(st.nr)) return `syscall nr ${st.nr} appears twice`;
    seenNr.add(st.nr);
    const problem = statsProblem(st, fine);
    if (problem !== null) return `syscall nr ${st.nr}: ${problem}`;
  }
  const seenPair = new Set<number>();
  const coarse = toLayout(h.coarse!);
  for (const st of s.processes) {
    if (st.tgid === 0) return `per-process stats of nr ${st.nr} have tgid 0`;
    if (st.nr > MAX_SYSCALL_NR) return `process ${st.tgid} has syscall nr ${st.nr}, above ${MAX_SYSCALL_NR}`;
    // exact: a 32-bit tgid times 4096 stays far below 2^53
    const key = st.tgid * (MAX_SYSCALL_NR + 1) + st.nr;
    if (seenPair.has(key)) return `process ${st.tgid} syscall nr ${st.nr} appears twice`;
    seenPair.add(key);
    const problem = statsProblem(st, coarse);
    if (problem !== null) return `process ${st.tgid} syscall nr ${st.nr}: ${problem}`;
  }
  const seenProc = new Set<number>();
  for (const p of s.procs) {
    if (p.tgid === 0) return 'process entry with tgid 0';
    if (seenProc.has(p.tgid)) return `process ${p.tgid} listed twice`;
    seenProc.add(p.tgid);
  }
  const seenErrno = new Set<string>();
  for (const e of s.errnos) {
    if (e.err === 0 || e.err > MAX_ERRNO) return `errno count for syscall nr ${e.nr} has errno ${e.err}, expected 1..${MAX_ERRNO}`;
    const key = `${e.nr}/${e.err}`;
    if (seenErrno.has(key)) return `syscall nr ${e.nr} errno ${e.err} appears twice`;
    seenErrno.add(key);
  }
  for (const f of s.inFlight) {
    if (f.tid === 0) return 'in-flight call with tid 0';
  }
  if (s.times.length > 0 && !h.times) return 'process times in a stream whose header did not announce them';
  const seenTimes = new Set<number>();
  for (const t of s.times) {
    // tgid 0 is the sum of the processes the loader evicted
    if (seenTimes.has(t.tgid)) return `times of process ${t.tgid} listed twice`;
    seenTimes.add(t.tgid);
    if (t.threads === 0 && (t.cpuNs > 0 || t.lifeNs > 0)) return `times of process ${t.tgid} without a thread`;
  }
  const tcpProblem = tcpStatsProblem(h, s, coarse);
  if (tcpProblem !== null) return tcpProblem;
  const stacksProblem = stackStatsProblem(h, s, coarse);
  if (stacksProblem !== null) return stacksProblem;
  if (s.exit != null && s.exit.exited && (s.exit.code < 0 || s.exit.code > 255)) {
    return `exit code ${s.exit.code} is outside 0..255`;
  }
  if (s.exit != null && !s.exit.exited && (s.exit.signal < 1 || s.exit.signal > 127)) {
    return `exit signal ${s.exit.signal} is outside 1..127`;
  }
  return ioUringProblem(s, h);
}

// What is wrong with one stats entry's histogram, or null.
// TcpStats: announced, one entry per (process, port, family, direction), sane counts and buckets.
function tcpStatsProblem(h: syscallprof.Header, s: syscallprof.Snapshot, layout: HistogramLayout): string | null {
  if (s.tcp.length > 0 && !h.tcp) return 'TCP stats in a stream whose header did not announce them';
  const seen = new Set<string>();
  for (const t of s.tcp) {
    const what = `TCP stats of process ${t.tgid} port ${t.port}`;
    if (t.tgid === 0) return 'TCP stats with tgid 0';
    if (t.port > 65535) return `${what}: port above 65535`;
    if (t.direction === syscallprof.TcpDirection.TCP_DIRECTION_UNSPECIFIED || t.family === syscallprof.TcpFamily.TCP_FAMILY_UNSPECIFIED) {
      return `${what}: no direction or family`;
    }
    const key = `${t.tgid}/${t.port}/${t.family}/${t.direction}`;
    if (seen.has(key)) return `${what} listed twice`;
    seen.add(key);
    if (t.bucketIndex.length !== t.bucketCount.length) return `${what}: ${t.bucketIndex.length} bucket indexes but ${t.bucketCount.length} bucket counts`;
    for (let i = 0; i < t.bucketIndex.length; i++) {
      const index = t.bucketIndex[i]!;
      if (index >= layout.buckets) return `${what}: bucket index ${index} is outside 0..${layout.buckets - 1}`;
      if (i > 0 && index <= t.bucketIndex[i - 1]!) return `${what}: bucket indexes out of order`;
    }
  }
  return null;
}

// StackStats and StackDefs: announced, one entry per (process, syscall, stack), sane buckets.
function stackStatsProblem(h: syscallprof.Header, s: syscallprof.Snapshot, layout: HistogramLayout): string | null {
  if ((s.stacks.length > 0 || s.stackDefs.length > 0 || s.stackHealth != null) && !h.stacks) return 'stacks in a stream whose header did not ask for them';
  const seen = new Set<string>();
  for (const st of s.stacks) {
    const what = `stack stats of process ${st.tgid} syscall nr ${st.nr} stack ${st.stackId}`;
    if (st.tgid === 0 || st.stackId === 0) return `${what}: tgid or stack id 0`;
    if (st.nr > MAX_SYSCALL_NR) return `${what}: syscall nr above ${MAX_SYSCALL_NR}`;
    const key = `${st.tgid}/${st.nr}/${st.stackId}`;
    if (seen.has(key)) return `${what} listed twice`;
    seen.add(key);
    if (st.bucketIndex.length !== st.bucketCount.length) return `${what}: ${st.bucketIndex.length} bucket indexes but ${st.bucketCount.length} bucket counts`;
    for (let i = 0; i < st.bucketIndex.length; i++) {
      const index = st.bucketIndex[i]!;
      if (index >= layout.buckets) return `${what}: bucket index ${index} is outside 0..${layout.buckets - 1}`;
      if (i > 0 && index <= st.bucketIndex[i - 1]!) return `${what}: bucket indexes out of order`;
    }
  }
  return stackDefsProblem(s.stackDefs);
}

// Longest stack a StackDef may carry (the loader stops far below).
export const MAX_STACK_FRAMES = 1024;

// StackDefs: ids above 0, each once per frame, a bounded number of frames.
function stackDefsProblem(defs: readonly syscallprof.StackDef[]): string | null {
  const ids = new Set<number>();
  for (const d of defs) {
    if (d.id === 0) return 'stack definition with id 0';
    if (ids.has(d.id)) return `stack ${d.id} defined twice in one frame`;
    ids.add(d.id);
    if (d.frames.length > MAX_STACK_FRAMES) return `stack ${d.id} has ${d.frames.length} frames, more than ${MAX_STACK_FRAMES}`;
  }
  return null;
}

function statsProblem(st: syscallprof.SyscallStats, layout: HistogramLayout): string | null {
  if (st.bucketIndex.length !== st.bucketCount.length) {
    return `${st.bucketIndex.length} bucket indexes but ${st.bucketCount.length} bucket counts`;
  }
  // the kernel clamps each call's parts to its duration
  if (st.offCpuNs > st.totalNs) return `off-CPU time ${st.offCpuNs} ns exceeds the total ${st.totalNs} ns`;
  if (st.runqNs > st.offCpuNs) return `runnable time ${st.runqNs} ns exceeds the off-CPU time ${st.offCpuNs} ns`;
  // the loader lists buckets in order: a repeat can only be out of order
  let ascending = true;
  for (let i = 0; i < st.bucketIndex.length; i++) {
    const index = st.bucketIndex[i]!;
    if (index >= layout.buckets) return `bucket index ${index} is outside 0..${layout.buckets - 1}`;
    if (i > 0 && index <= st.bucketIndex[i - 1]!) ascending = false;
  }
  if (!ascending) {
    const seen = new Set<number>();
    for (const index of st.bucketIndex) {
      if (seen.has(index)) return `bucket index ${index} appears twice`;
      seen.add(index);
    }
  }
  return null;
}

// Syscall numbers above this are not real syscalls on any architecture we read.
export const MAX_SYSCALL_NR = 4095;

// Longest EventData value: a path (PATH_MAX) is the longest kind.
export const MAX_EVENT_DATA_BYTES = 4096;

// Durations and times beyond this (2^53 ns, 104 days) are not plausible.
const MAX_NS = 2 ** 53;

const COLUMN_NAMES = ['start_ns', 'duration_ns', 'pid', 'tid', 'nr', 'ret', 'arg0', 'arg1', 'arg2', 'arg3', 'arg4', 'arg5', 'pos'];

// What is wrong with an event batch read under this (valid) header, or null.
export function eventBatchProblem(b: WireEventBatch, h: WireHeader): string | null {
  if (!h.events) return 'event batch in a stream whose header did not ask for events';
  const columns = [b.startLo, b.durationNs, b.pid, b.tid, b.nr, b.ret, ...b.argLo, b.pos];
  const n = b.startLo.length;
  for (let c = 1; c < columns.length; c++) {
    if (columns[c]!.length !== n) return `column ${COLUMN_NAMES[c]} has ${columns[c]!.length} values, start_ns has ${n}`;
  }
  for (const [name, column] of [['off_cpu_ns', b.offCpuNs], ['runq_ns', b.runqNs]] as const) {
    const want = h.offcpu ? n : 0;
    if (column.length !== want) return `column ${name} has ${column.length} values, expected ${want}${h.offcpu ? '' : ' (the header says no off-CPU times)'}`;
  }
  if (b.stackId.length !== 0 && b.stackId.length !== n) return `column stack_id has ${b.stackId.length} values, start_ns has ${n}`;
  if ((b.stackId.length > 0 || b.stackDefs.length > 0) && !h.stacks) return 'stacks in an event batch of a stream whose header did not ask for them';
  const defsProblem = stackDefsProblem(b.stackDefs);
  if (defsProblem !== null) return defsProblem;
  for (let i = 0; i < n; i++) {
    if (b.pid[i] === 0 || b.tid[i] === 0) return `row ${i} has pid ${b.pid[i]} tid ${b.tid[i]}`;
    if (b.nr[i]! > MAX_SYSCALL_NR) return `row ${i} has syscall nr ${b.nr[i]}`;
    if (!(b.durationNs[i]! < MAX_NS)) return `row ${i} has duration ${b.durationNs[i]} ns`;
    if (h.offcpu && (b.offCpuNs[i]! > b.durationNs[i]! || b.runqNs[i]! > b.offCpuNs[i]!)) {
      return `row ${i} has off-CPU ${b.offCpuNs[i]} ns and runnable ${b.runqNs[i]} ns of a ${b.durationNs[i]} ns call`;
    }
  }
  for (const d of b.data) {
    if (d.row >= n) return `event data for row ${d.row} of ${n}`;
    if (d.kind > DataKind.PIPE_FDS) return `event data of unknown kind ${d.kind} (row ${d.row})`;
    if (d.value.length > MAX_EVENT_DATA_BYTES) return `event data of ${d.value.length} bytes (row ${d.row})`;
    if (d.kind === DataKind.PIPE_FDS && d.value.length !== 8) return `pipe fds of ${d.value.length} bytes, expected 8 (row ${d.row})`;
  }
  for (const e of b.processEvents) {
    if (e.kind > ProcessKind.NAME) return `process event of unknown kind ${e.kind}`;
    if (e.pid === 0) return 'process event with pid 0';
    if (e.kind === ProcessKind.FORK && e.child === 0) return `fork of ${e.pid} without a child pid`;
    if (e.timeNs < h.startMonoNs - MAX_NS || !(e.timeNs < h.startMonoNs + MAX_NS)) return `process event time ${e.timeNs} is implausible`;
  }
  if (b.ioUring !== null) return ioUringRequestsProblem(b.ioUring);
  return null;
}
