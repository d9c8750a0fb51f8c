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

// Totals of a capture; zero calls and zero duration are fine.
export function totals(profile: Profile): Totals {
  let calls = 0;
  let errors = 0;
  let totalNs = 0;
  let distinctSyscalls = 0;
  for (const s of profile.syscalls) {
    calls += s.count;
    errors += s.errors;
    totalNs += s.totalNs;
    if (s.count > 0) distinctSyscalls += 1;
  }
  const callsPerSecond = profile.durationNs > 0 ? calls / (profile.durationNs / 1e9) : null;
  return { calls, errors, totalNs, distinctSyscalls, callsPerSecond };
}
