// Numbers several rules take from the capture: sums over syscalls, the cost of
// a kernel round trip, shares of wall time.
import { categoryOfName, isWaiting } from '../../model/categories.js';
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
