// What an eBPF trace can be asked for beyond the common TraceRequest: event mode and its kernel filters.
import type { TraceRequest } from '../types.js';

// A TraceRequest with the eBPF backend's event-mode fields (all optional: absent is aggregate mode).
export interface EbpfTraceRequest extends TraceRequest {
  // also stream every completed call as event batches
  readonly events?: boolean;
  // event mode: only these syscalls (names, or `syscall_<nr>`); null or absent: all
  readonly syscalls?: readonly string[] | null;
  // event mode: only calls at least this slow, ns (0: all)
  readonly minDurationNs?: number;
  // event mode: only calls that returned an error
  readonly failedOnly?: boolean;
  // event ring buffer size in MiB, a power of two 1..1024; null or absent: the loader's default (16)
  readonly ringbufMb?: number | null;
  // false: do not follow sched_switch, so no on/off-CPU split (absent: split)
  readonly offcpu?: boolean;
  // drop exited processes from the kernel's per-process table (long runs:
  // agent, live); later snapshots leave them out, so not for captures
  readonly evictExited?: boolean;
  // time 1 call in this many (1..MAX_SAMPLE_PERIOD), counting every call; absent or 1: time all.
  // Aggregate mode only: event mode records every call
  readonly samplePeriod?: number;
  // user stacks of slow calls (the loader's --stacks and its options); absent: none
  readonly stacks?: EbpfStacksRequest;
  // keep the BPF programs under this % of one CPU (0.01..100) by raising the
  // sample period at run time (the snapshots say the period in force); absent: fixed
  readonly maxOverheadPct?: number;
  // a whole snapshot every this many (1..3600), in between only the entries that
  // changed (the reader rebuilds the same cumulative snapshots); absent or 1: all whole
  readonly fullEvery?: number;
}

// What --stacks takes: each field absent means the loader's default.
export interface EbpfStacksRequest {
  // a call this slow is slow, ns (1..MAX_STACKS_MIN_NS); absent: adaptive (p90 of the syscall, or 1 ms)
  readonly minNs?: number;
  // user stack bytes copied for DWARF unwinding (0..MAX_STACK_BYTES; 0: frame pointers only)
  readonly stackBytes?: number;
  // stacks per second per CPU at most (1..MAX_STACKS_RATE)
  readonly perCpuPerSec?: number;
  // also the kernel stack at the call's exit
  readonly kernel?: boolean;
}

// The ranges the loader accepts for --stacks-min, --stack-bytes and --stacks-rate.
export const MAX_STACKS_MIN_NS = 3600e9;
export const MAX_STACK_BYTES = 32768;
export const MAX_STACKS_RATE = 100000;

// How often the long-running commands (agent, live) have the loader send a whole snapshot.
export const FULL_EVERY = 10;

// The largest --sample the loader accepts.
export const MAX_SAMPLE_PERIOD = 65536;

// The loader's default ring buffer size, MiB.
export const DEFAULT_RINGBUF_MB = 16;

// Ring buffer sizes the loader accepts, MiB.
export const MAX_RINGBUF_MB = 1024;

// Whether n is a ring buffer size the loader accepts (a power of two, 1..1024 MiB).
export function validRingbufMb(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_RINGBUF_MB && (n & (n - 1)) === 0;
}

// The syscall table name of this machine's architecture (defined with the tables, in the model).
export { hostArch } from '../../model/syscall-names.js';
