// Whole-capture totals of an aggregate.
import type { Aggregate } from './aggregate.js';

// Sums over every syscall.
export interface CaptureTotals {
  readonly calls: number;
  readonly errors: number;
  readonly totalNs: number;
  // distinct syscalls with at least one call
  readonly distinctSyscalls: number;
  // null when the duration is unknown or zero
  readonly callsPerSecond: number | null;
}

// Totals; zero calls and a zero or unknown duration are fine.
export function captureTotals(aggregate: Aggregate, durationNs: number | null): CaptureTotals {
  let calls = 0;
  let errors = 0;
  let totalNs = 0;
  let distinctSyscalls = 0;
  for (const s of aggregate.syscalls) {
    calls += s.count;
    errors += s.errors;
    totalNs += s.totalNs;
    if (s.count > 0) distinctSyscalls += 1;
  }
  return { calls, errors, totalNs, distinctSyscalls, callsPerSecond: perSecond(calls, durationNs) };
}

// count per second over durationNs, or null when the duration is unknown or zero.
export function perSecond(count: number, durationNs: number | null): number | null {
  return durationNs !== null && durationNs > 0 ? count / (durationNs / 1e9) : null;
}
