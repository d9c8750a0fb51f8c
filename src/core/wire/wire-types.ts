// The shapes protobufjs decodes from proto/syscall_prof.proto (camelCase,
// 64-bit integers as numbers, unset messages as null). Values are still untrusted.

// HistogramLayout as decoded.
export interface WireLayout {
  subBits: number;
  buckets: number;
}

// SyscallStats as decoded.
export interface WireSyscallStats {
  tgid: number;
  nr: number;
  count: number;
  errors: number;
  totalNs: number;
  maxNs: number;
  bucketIndex: number[];
  bucketCount: number[];
  // of totalNs: off the CPU, and of that runnable (0 unless the header says offcpu)
  offCpuNs: number;
  runqNs: number;
}

// Process as decoded.
export interface WireProcess {
  tgid: number;
  comm: string;
}

// InFlight as decoded.
export interface WireInFlight {
  tgid: number;
  tid: number;
  nr: number;
  ageNs: number;
}

// Health as decoded.
export interface WireHealth {
  missedStarts: number;
  processDrops: number;
  untrackedThreads: number;
  lostEvents: number;
  badSyscallNr: number;
  inFlightTruncated: number;
}

// ProgramCost as decoded.
export interface WireProgramCost {
  name: string;
  runTimeNs: number;
  runCount: number;
}

// TargetExit as decoded.
export interface WireTargetExit {
  pid: number;
  exited: boolean;
  code: number;
  signal: number;
  // CPU time (user + system) of the command and its waited-for children
  cpuNs: number;
}

// Header as decoded.
export interface WireHeader {
  version: number;
  arch: string;
  mode: string;
  pids: number[];
  follow: boolean;
  startMonoNs: number;
  startRealNs: number;
  fine: WireLayout | null;
  coarse: WireLayout | null;
  intervalMs: number;
  bpfMapBytes: number;
  cgroup: string;
  command: string[];
  // "sampled", "full" or "off"
  costStats: string;
  // event mode: whether EventBatch frames follow, and the kernel's filters
  events: boolean;
  eventSyscalls: number[];
  eventMinDurationNs: number;
  eventFailedOnly: boolean;
  ringbufBytes: number;
  // the kernel follows sched_switch: off-CPU times are filled
  offcpu: boolean;
  // start_real_ns exactly, in decimal (the number above is rounded past 2^53);
  // filled in by decodeFrame, not by protobufjs
  startRealNsText: string;
}

// Snapshot as decoded.
export interface WireSnapshot {
  seq: number;
  monoNs: number;
  final: boolean;
  syscalls: WireSyscallStats[];
  processes: WireSyscallStats[];
  procs: WireProcess[];
  inFlight: WireInFlight[];
  health: WireHealth | null;
  cost: WireProgramCost[];
  exit: WireTargetExit | null;
  stopReason: string;
  // wall time during which the cost statistics were on
  costWindowNs: number;
  // failed calls per (syscall, errno); absent from older loaders
  errnos: WireErrnoCount[];
}

// ErrnoCount as decoded.
export interface WireErrnoCount {
  nr: number;
  err: number;
  count: number;
}

// EventData as decoded; kind is EventData.Kind (0 PATH, 1 SOCKADDR, 2 PIPE_FDS).
export interface WireEventData {
  row: number;
  kind: number;
  value: Uint8Array;
}

// ProcessEvent as decoded; kind is ProcessEvent.Kind (0 FORK, 1 EXEC, 2 EXIT, 3 NAME).
export interface WireProcessEvent {
  kind: number;
  timeNs: number;
  pid: number;
  child: number;
  comm: string;
}

// EventBatch as the hand-written decoder reads it: each packed column straight
// into a typed array (lengths may differ until validation says otherwise).
export interface WireEventBatch {
  // start_ns split into 32-bit halves: CLOCK_MONOTONIC exceeds 2^53 after 104 days
  startLo: Uint32Array;
  startHi: Uint32Array;
  durationNs: Float64Array;
  pid: Uint32Array;
  tid: Uint32Array;
  nr: Uint32Array;
  ret: Float64Array;
  argLo: Uint32Array[];
  argHi: Uint32Array[];
  pos: Float64Array;
  // with Header.offcpu (else empty): off the CPU, and of that runnable
  offCpuNs: Float64Array;
  runqNs: Float64Array;
  data: WireEventData[];
  processEvents: WireProcessEvent[];
}

// Frame as decoded: exactly one of header / snapshot / events is set in a valid frame.
export interface WireFrame {
  header: WireHeader | null;
  snapshot: WireSnapshot | null;
  events: WireEventBatch | null;
}
