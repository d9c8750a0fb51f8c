// Numbers several rules take from the capture: sums over syscalls, the cost of
// a kernel round trip, shares of wall time in words.
import { formatPercent } from '../../render/units.js';
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
// ROUND_TRIP_MIN_CALLS calls (the cheapest calls are nearly all entry and exit);
// null when no syscall has that many calls.
export function roundTripNs(ctx: FindingContext): number | null {
  let best: number | null = null;
  for (const r of ctx.rows) {
    if (r.count < ROUND_TRIP_MIN_CALLS || r.p50Ns === null) continue;
    if (best === null || r.p50Ns < best) best = r.p50Ns;
  }
  return best;
}

// " (12.5% of wall time)", or '' when the wall time is unknown.
export function ofWall(ctx: FindingContext, ns: number): string {
  return ctx.durationNs !== null && ctx.durationNs > 0 ? ` (${formatPercent(ns / ctx.durationNs)} of wall time)` : '';
}
