// The normalized capture every backend produces and everything downstream reads.
import type { LatencyHistogram } from './histogram.js';
import type { IoUringProfile } from './io-uring.js';
import type { StackProfile } from './stacks.js';

// Latency statistics of one syscall (over all targets, or within one process).
export interface SyscallStats {
  readonly name: string;
  // null when the backend only knows the name
  readonly nr: number | null;
  readonly count: number;
  // calls that returned an error (-errno)
  readonly errors: number;
  readonly totalNs: number;
  readonly maxNs: number;
  readonly histogram: LatencyHistogram;
  // of totalNs, the time off the CPU (blocked or waiting for a CPU) and its
  // runnable-waiting part; absent when the backend cannot tell
  readonly offCpuNs?: number;
  readonly runqNs?: number;
  // failed calls by errno (positive numbers), most first; absent when the
  // backend does not count them
  readonly errnos?: readonly ErrnoCount[];
  // sampled captures (Profile.samplePeriod > 1): the calls that were timed
  // (the histogram's total). count and errors stay exact; totalNs, offCpuNs
  // and runqNs are then estimates (timed time x the period), maxNs and the
  // histogram are those of the timed calls. Absent: every call was timed.
  readonly timedCalls?: number;
}

// How often a syscall failed with one errno.
export interface ErrnoCount {
  readonly errno: number;
  readonly count: number;
}

// The syscalls of one traced process.
export interface ProcessStats {
  readonly tgid: number;
  // command name as of its last exec; '' when unknown
  readonly comm: string;
  readonly syscalls: readonly SyscallStats[];
  // what its traced threads used while traced (absent when the backend cannot
  // tell): CPU time (user + system), their lifetimes summed, and how many
  readonly cpuNs?: number;
  readonly lifeNs?: number;
  readonly threads?: number;
}

// A syscall that had started but not returned when tracing stopped.
export interface InFlightCall {
  readonly tgid: number;
  readonly tid: number;
  readonly syscall: string;
  readonly nr: number | null;
  readonly ageNs: number;
}

// What the profiler knows it missed; all zero when nothing was lost.
export interface HealthCounters {
  // returns seen whose entry predates tracing (not timed)
  readonly missedStarts: number;
  // calls counted overall but not attributed to a process (table full)
  readonly processDrops: number;
  // calls from threads the profiler could not track (not timed)
  readonly untrackedThreads: number;
  // per-call records lost (buffer full)
  readonly lostEvents: number;
  // calls with a syscall number the profiler cannot index (e.g. x32 ABI)
  readonly badSyscallNr: number;
  // in-flight calls not listed in `inFlight`
  readonly inFlightTruncated: number;
  // exited threads whose CPU time and lifetime were not kept (table full)
  readonly timeDrops: number;
  // TCP counts not kept (the per-process, per-port table full); absent when not measured
  readonly tcpDrops?: number;
}

// Which end opened a TCP connection: the process connected, or accepted it.
export type TcpDirection = 'connect' | 'accept';

// One process's TCP connections to (connect: the peer's port) or on (accept:
// the local, listening port) one port, cumulative, from the kernel's TCP
// state changes: what syscalls cannot show (a non-blocking connect's
// handshake, resets, retransmits).
export interface TcpPeerStats {
  readonly tgid: number;
  readonly comm: string;
  readonly direction: TcpDirection;
  readonly family: 'ipv4' | 'ipv6';
  readonly port: number;
  // connect: SYN_SENT -> ESTABLISHED, timed in `handshake`
  readonly handshakes: number;
  // connect: = handshakes; accept: connections accepted
  readonly established: number;
  // connect: handshakes that failed (refused, unreachable, timed out)
  readonly failed: number;
  // ended by FIN, and by a reset or an abort
  readonly closed: number;
  readonly resets: number;
  readonly retransmits: number;
  // lifetimes of the ended connections, summed
  readonly lifeNs: number;
  readonly handshakeNs: number;
  readonly handshakeMaxNs: number;
  readonly handshake: LatencyHistogram;
}

// Run-time cost of one part of the profiler (e.g. one BPF program).
export interface ProgramCost {
  readonly name: string;
  readonly runTimeNs: number;
  readonly runCount: number;
}

// What tracing cost, as far as the backend can tell.
export interface ProfilerCost {
  // whether run-time statistics were collected at all
  readonly enabled: boolean;
  readonly programs: readonly ProgramCost[];
  // wall time the program costs cover (they may be sampled); null: the whole run
  readonly windowNs: number | null;
  // kernel memory the profiler allocated, when known
  readonly memoryBytes: number | null;
}

// How a traced command ended.
export type TargetExit =
  | { readonly pid: number; readonly kind: 'exited'; readonly code: number }
  | { readonly pid: number; readonly kind: 'killed'; readonly signal: number };

// What was traced.
export type Target = (
  | { readonly kind: 'all' }
  | { readonly kind: 'pids'; readonly pids: readonly number[] }
  | { readonly kind: 'command'; readonly argv: readonly string[] }
  | { readonly kind: 'cgroup'; readonly path: string }
) & { readonly follow: boolean };

// Why tracing stopped.
export type StopReason = 'duration' | 'signal' | 'target-exit' | 'stdout-closed' | 'parent-died' | 'map-read-error' | 'out-of-memory' | 'unknown';

// One capture: cumulative since the start of tracing.
export interface Profile {
  // which backend produced it ("ebpf", "strace", ...)
  readonly backend: string;
  // architecture the syscall numbers belong to
  readonly arch: string;
  readonly target: Target;
  // wall-clock time tracing started
  readonly startedAt: Date;
  // how long tracing had run when this capture was taken (may be 0)
  readonly durationNs: number;
  // false for intermediate snapshots of a running trace
  readonly final: boolean;
  // per syscall over all traced processes
  readonly syscalls: readonly SyscallStats[];
  readonly processes: readonly ProcessStats[];
  readonly inFlight: readonly InFlightCall[];
  readonly health: HealthCounters;
  readonly cost: ProfilerCost;
  // set only when a traced command ended
  readonly exit: TargetExit | null;
  // CPU time (user + system) the traced threads used while traced, measured
  // in the kernel for every thread; from an older loader, the command's own
  // and its waited-for children's (rusage at its exit); absent or null when unknown
  readonly cpuNs?: number | null;
  // the traced threads' lifetimes while traced, summed: each from the later of
  // its start and the start of tracing to the earlier of its exit and this
  // capture (the CPU capacity the threads had); absent or null when unknown
  readonly threadNs?: number | null;
  // how many threads make up threadNs; absent or null when unknown
  readonly threadCount?: number | null;
  // the traced threads' time runnable, waiting for a CPU (the scheduler's
  // run_delay, inside and outside syscalls), summed; absent or null when unknown
  readonly runqNs?: number | null;
  // null while tracing is still running
  readonly stopReason: StopReason | null;
  // io_uring requests (eBPF backend); absent or null when the backend cannot see them
  readonly ioUring?: IoUringProfile | null;
  // 1 call in this many was timed (see SyscallStats.timedCalls); absent or 1: every call
  readonly samplePeriod?: number;
  // the traced processes' TCP connections from the kernel, per process and
  // port (empty: none made or accepted); absent or null when not measured
  readonly tcp?: readonly TcpPeerStats[] | null;
  // --stacks: the stacks of the slow calls per (process, syscall, stack), and
  // what happened to the slow calls (taken, skipped, how far unwound); absent or null when not taken
  readonly stacks?: StackProfile | null;
}

// Health counters with nothing missed.
export function emptyHealth(): HealthCounters {
  return { missedStarts: 0, processDrops: 0, untrackedThreads: 0, lostEvents: 0, badSyscallNr: 0, inFlightTruncated: 0, timeDrops: 0 };
}
