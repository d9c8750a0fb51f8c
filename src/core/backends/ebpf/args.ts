// The loader's command line for a trace request.
import { UsageError } from '../../errors.js';
import { syscallNumber } from '../../model/syscall-names.js';
import {
  hostArch,
  MAX_SAMPLE_PERIOD,
  MAX_STACK_BYTES,
  MAX_STACKS_MIN_NS,
  MAX_STACKS_RATE,
  validRingbufMb,
  type EbpfStacksRequest,
  type EbpfTraceRequest,
} from './request.js';

// The traced command's stdout is passed to the loader as this fd...
export const CHILD_STDOUT_FD = 3;
// ...and its stdin as this one (the loader's own stdin is the stop channel).
export const CHILD_STDIN_FD = 4;

// The fd through which the loader hands the command our stderr.
export const CHILD_STDERR_FD = 5;

// How the backend stops the loader by default: with --stop-on-stdin-eof and
// its stdin a pipe, a stop ends that pipe and the loader stops as on SIGTERM;
// without (EbpfBackendOptions.stopOnStdinEof false), a stop is SIGTERM. Either
// way the loader ends the process group of a command it started.
export const LOADER_STOPS_ON_STDIN_EOF = true;

// The loader arguments of the stop channel (they go first).
export function stopChannelArgs(stdinEof: boolean = LOADER_STOPS_ON_STDIN_EOF): string[] {
  return stdinEof ? ['--stop-on-stdin-eof'] : [];
}

// Loader arguments for a request (see the loader's --help); bad event options are UsageErrors.
export function loaderArgs(request: EbpfTraceRequest, arch: string = hostArch()): string[] {
  const args: string[] = [];
  const { target } = request;
  if (target.kind === 'all') args.push('--all');
  // system-wide or by cgroup, we would otherwise trace ourselves
  if (target.kind === 'all' || target.kind === 'cgroup') args.push('--exclude-pid', String(process.pid));
  if (target.kind === 'pids') for (const pid of target.pids) args.push('--pid', String(pid));
  if (target.kind === 'cgroup') args.push('--cgroup', target.path);
  if (request.follow && target.kind !== 'all') args.push('--follow');
  if (request.intervalMs !== null) args.push('--interval', String(request.intervalMs));
  if (request.durationSec !== null) args.push('--duration', String(request.durationSec));
  if (request.offcpu === false) args.push('--no-offcpu');
  if (request.evictExited === true) args.push('--evict-exited');
  if (request.fullEvery !== undefined && request.fullEvery !== 1) {
    if (!Number.isInteger(request.fullEvery) || request.fullEvery < 1 || request.fullEvery > 3600) throw new UsageError(`full snapshot period ${request.fullEvery} is not a whole number from 1 to 3600`);
    args.push('--full-every', String(request.fullEvery));
  }
  args.push(...sampleArgs(request));
  args.push(...eventArgs(request, arch));
  if (request.stacks !== undefined) args.push(...stackArgs(request.stacks));
  if (target.kind === 'command') {
    if (request.commandStdout === 'inherit') args.push('--child-stdout-fd', String(CHILD_STDOUT_FD));
    args.push('--', ...target.argv);
  }
  return args;
}

// --sample N: time 1 call in N; --max-overhead PCT: raise N at run time to stay
// under the budget (never with event mode, which records every call).
function sampleArgs(request: EbpfTraceRequest): string[] {
  const n = request.samplePeriod ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLE_PERIOD) throw new UsageError(`sample period ${n} is not a whole number from 1 to ${MAX_SAMPLE_PERIOD}`);
  const budget = request.maxOverheadPct;
  if (budget !== undefined && !(budget >= 0.01 && budget <= 100)) throw new UsageError(`overhead budget ${budget}% is not from 0.01 to 100`);
  const args = budget === undefined ? [] : ['--max-overhead', String(budget)];
  if (n > 1) args.push('--sample', String(n));
  if (args.length > 0 && request.events === true) throw new UsageError(`${args[0]} cannot be combined with event mode (--output records every call)`);
  return args;
}

// The event-mode part: --events and its filters.
function eventArgs(request: EbpfTraceRequest, arch: string): string[] {
  const filtered =
    (request.syscalls !== undefined && request.syscalls !== null) ||
    (request.minDurationNs ?? 0) > 0 ||
    request.failedOnly === true ||
    (request.ringbufMb !== undefined && request.ringbufMb !== null);
  if (request.events !== true) {
    if (filtered) throw new UsageError('event filters (syscalls, minimum duration, failed only, ring buffer size) need event mode');
    return [];
  }
  const args = ['--events'];
  if (request.syscalls !== undefined && request.syscalls !== null) {
    if (request.syscalls.length === 0) throw new UsageError('the syscall filter is empty');
    args.push('--syscalls', syscallNumbers(request.syscalls, arch).join(','));
  }
  const minNs = request.minDurationNs ?? 0;
  if (!Number.isSafeInteger(minNs) || minNs < 0) throw new UsageError(`minimum duration ${minNs} ns is not a whole number of ns >= 0`);
  if (minNs > 0) args.push('--min-duration', String(minNs));
  if (request.failedOnly === true) args.push('--failed');
  if (request.ringbufMb !== undefined && request.ringbufMb !== null) {
    if (!validRingbufMb(request.ringbufMb)) throw new UsageError(`ring buffer size ${request.ringbufMb} MiB is not a power of two from 1 to 1024`);
    args.push('--ringbuf-mb', String(request.ringbufMb));
  }
  return args;
}

// --stacks and its options; a value out of the loader's range is a UsageError.
function stackArgs(stacks: EbpfStacksRequest): string[] {
  const args = ['--stacks'];
  const option = (flag: string, what: string, value: number | undefined, min: number, max: number): void => {
    if (value === undefined) return;
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`${what} ${value} is not a whole number from ${min} to ${max}`);
    args.push(flag, String(value));
  };
  option('--stacks-min', 'stack threshold (ns)', stacks.minNs, 1, MAX_STACKS_MIN_NS);
  option('--stack-bytes', 'stack bytes', stacks.stackBytes, 0, MAX_STACK_BYTES);
  option('--stacks-rate', 'stacks per second per CPU', stacks.perCpuPerSec, 1, MAX_STACKS_RATE);
  if (stacks.kernel === true) args.push('--kernel-stacks');
  return args;
}

// Syscall names (or numbers) -> sorted unique numbers; an unknown name is a UsageError naming it.
export function syscallNumbers(names: readonly string[], arch: string): number[] {
  const out = new Set<number>();
  for (const raw of names) {
    const name = raw.trim();
    const nr = /^\d+$/.test(name) ? Number(name) : syscallNumber(arch, name);
    if (nr === null || nr > 4095) throw new UsageError(`unknown syscall "${name}" for ${arch}`);
    out.add(nr);
  }
  return [...out].sort((a, b) => a - b);
}
