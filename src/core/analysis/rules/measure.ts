// Numbers several rules take from the capture: sums over syscalls, the cost of
// a kernel round trip, shares of wall time.
import { categoryOfName, dependsOnFd, isWaiting } from '../../model/categories.js';
import type { SyscallAggregate } from '../aggregate.js';
import type { FindingContext } from '../findings.js';

// A syscall needs this many calls for its median to count as a measured round-trip cost.
export const ROUND_TRIP_MIN_CALLS = 10;

// Calls and time of some syscalls together.
export function sumOf(ctx: FindingContext, names: readonly string[]): { calls: number; totalNs: number } {
  let calls = 0;
  let totalNs = 0;
  for (const name of names) {
    const s = ctx.syscall(name);
    if (s === undefined) continue;
    calls += s.count;
    totalNs += s.totalNs;
  }
  return { calls, totalNs };
}

// What one trip into the kernel and back costs on this machine, as measured in
// this capture: the lowest median among syscalls with at least
// ROUND_TRIP_MIN_CALLS calls (the cheapest calls are nearly all entry and exit),
// or among all syscalls when none has that many (a few cold calls: a rougher,
// higher figure). Waiting syscalls (sleeps, polls, futex) are left out: their
// time is the wait, not the trip. Null when there are no other calls.
export function roundTripNs(ctx: FindingContext): number | null {
  let settled: number | null = null;
  let rough: number | null = null;
  for (const r of ctx.rows) {
    if (r.p50Ns === null || isWaiting(categoryOfName(r.name))) continue;
    if (rough === null || r.p50Ns < rough) rough = r.p50Ns;
    if (r.count >= ROUND_TRIP_MIN_CALLS && (settled === null || r.p50Ns < settled)) settled = r.p50Ns;
  }
  return settled ?? rough;
}

// ns as a share of the traced threads' time (their lifetimes; wall time when
// unknown): the 'wallShare' metric of the findings; null when neither is known.
export function wallShare(ctx: FindingContext, ns: number): number | null {
  const base = ctx.capacityNs != null && ctx.capacityNs > 0 ? ctx.capacityNs : ctx.durationNs;
  return base !== null && base > 0 ? ns / base : null;
}

// Calls that return in the parent only once the child has exec'd or exited
// (vfork; clone and clone3 with CLONE_VFORK, as posix_spawn makes them): their
// latency is the child's start-up, which process-startup speaks of.
const WAITS_FOR_CHILD: ReadonlySet<string> = new Set(['vfork', 'clone', 'clone3']);

// Whether a working syscall's latency is mostly not its own doing, so that the
// generic latency rules (multimodal, bimodal reads) leave it alone: its calls
// were runnable, waiting for a CPU, for a quarter of their time and blocked for
// less than a tenth of it (the off-CPU split says so: the CPU is short, which
// the verdict speaks of; on a loaded machine disk reads wait for a CPU too, but
// they are still blocked for a good part of their time), or most of its
// time is on pipes, event fds and terminals (refined 'other': blocked there is
// waiting for the process at the other end), or it waits for a child's exec.
export function latencyNotItsOwn(s: SyscallAggregate): boolean {
  if (s.totalNs <= 0) return false;
  if (WAITS_FOR_CHILD.has(s.name)) return true;
  if (s.offCpuNs !== null && s.runqNs !== null) {
    const blocked = Math.max(0, s.offCpuNs - s.runqNs);
    // runnable for a quarter of the time and hardly ever blocked: the slow calls waited for a CPU, not a device
    if (s.runqNs >= 0.25 * s.totalNs && blocked < 0.1 * s.totalNs) return true;
  }
  if (dependsOnFd(s.name)) {
    const peer = s.categories.find((c) => c.category === 'other')?.totalNs ?? 0;
    if (peer >= 0.5 * s.totalNs) return true;
  }
  return false;
}
