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
}

// Frame as decoded: exactly one of header / snapshot is set in a valid frame.
export interface WireFrame {
  header: WireHeader | null;
  snapshot: WireSnapshot | null;
}
