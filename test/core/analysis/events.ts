// Synthetic calls for the facts and rules tests: one builder per kind of call,
// each a plain SyscallEvent with the arguments the streaming pass reads.
import { aggregateEventsWithFacts } from '../../../src/core/analysis/aggregate-events.js';
import type { CaptureFacts } from '../../../src/core/analysis/facts/collector.js';
import { findingContext, type FindingContext } from '../../../src/core/analysis/findings.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { eventOf } from '../../helpers/offline.js';

// Unsigned 64-bit register values of some numbers (negative ones wrap, as the kernel passes them).
export function regs(...values: readonly number[]): bigint[] {
  return values.map((v) => BigInt.asUintN(64, BigInt(v)));
}

// openat(AT_FDCWD, path, flags) returning fd (or -errno).
export function openat(path: string, ret: number, flags = 0, extra: Partial<SyscallEvent> = {}): SyscallEvent {
  return eventOf({ syscall: 'openat', args: regs(-100, 0, flags), ret, path, durationNs: 2_000, ...extra });
}

// read(fd, buf, count) at file position pos returning ret.
export function read(fd: number, pos: number | null, ret: number, extra: Partial<SyscallEvent> = {}, count = ret): SyscallEvent {
  return eventOf({ syscall: 'read', args: regs(fd, 0, count), ret, pos, path: '/data/file', durationNs: 1_000, ...extra });
}

// pread64(fd, buf, count, offset) returning ret.
export function pread(fd: number, offset: number, ret: number, extra: Partial<SyscallEvent> = {}): SyscallEvent {
  return eventOf({ syscall: 'pread64', args: regs(fd, 0, ret, offset), ret, pos: null, path: '/data/file', durationNs: 1_000, ...extra });
}

// write(fd, buf, count) at pos returning ret.
export function write(fd: number, pos: number | null, ret: number, extra: Partial<SyscallEvent> = {}): SyscallEvent {
  return eventOf({ syscall: 'write', args: regs(fd, 0, ret), ret, pos, path: '/data/out', durationNs: 1_000, ...extra });
}

// Any call with these registers.
export function call(syscall: string, args: readonly number[], ret: number, extra: Partial<SyscallEvent> = {}): SyscallEvent {
  return eventOf({ syscall, args: regs(...args), ret, ...extra });
}

// The calls one microsecond apart (startNs = i us), keeping their durations.
export function spaced(events: readonly SyscallEvent[], stepNs = 1_000_000): SyscallEvent[] {
  return events.map((e, i) => ({ ...e, startNs: i * stepNs }));
}

// n copies of a call (made by make(i)).
export function times(n: number, make: (i: number) => SyscallEvent | SyscallEvent[]): SyscallEvent[] {
  return Array.from({ length: n }, (_, i) => make(i)).flat();
}

// The facts of some events.
export async function factsOf(events: readonly SyscallEvent[], capacity = 4096): Promise<CaptureFacts> {
  return (await aggregateEventsWithFacts(batchesOf(events, capacity))).facts;
}

// The rules' context of some events, with their facts, over a wall time.
export async function contextOf(events: readonly SyscallEvent[], durationNs: number | null): Promise<FindingContext> {
  const { aggregate, facts } = await aggregateEventsWithFacts(batchesOf(events));
  return findingContext(aggregate, durationNs, facts);
}

// The rules' context of some events without per-call facts (as for an aggregate capture).
export async function contextWithoutFacts(events: readonly SyscallEvent[], durationNs: number | null): Promise<FindingContext> {
  const { aggregate } = await aggregateEventsWithFacts(batchesOf(events));
  return findingContext(aggregate, durationNs, null);
}
