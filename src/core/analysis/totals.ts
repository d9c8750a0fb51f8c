// Whole-capture totals.
import type { Profile } from '../model/profile.js';

// Sums over every syscall of a capture.
export interface Totals {
  readonly calls: number;
  readonly errors: number;
  readonly totalNs: number;
  // distinct syscalls with at least one call
  readonly distinctSyscalls: number;
  // null when the capture has no duration
  readonly callsPerSecond: number | null;
}

// What totals are summed from: anything with per-syscall count, errors and time.
export interface Summable {
  readonly count: number;
  readonly errors: number;
  readonly totalNs: number;
}

// Totals over per-syscall rows; zero calls and a zero or unknown duration are fine.
export function sumTotals(syscalls: Iterable<Summable>, durationNs: number | null): Totals {
  let calls = 0;
  let errors = 0;
  let totalNs = 0;
  let distinctSyscalls = 0;
  for (const s of syscalls) {
    calls += s.count;
    errors += s.errors;
    totalNs += s.totalNs;
    if (s.count > 0) distinctSyscalls += 1;
  }
  return { calls, errors, totalNs, distinctSyscalls, callsPerSecond: perSecond(calls, durationNs) };
}

// Totals of a capture.
export function totals(profile: Profile): Totals {
  return sumTotals(profile.syscalls, profile.durationNs);
}

// count per second over durationNs, or null when the duration is unknown or zero.
export function perSecond(count: number, durationNs: number | null): number | null {
  return durationNs !== null && durationNs > 0 ? count / (durationNs / 1e9) : null;
}
