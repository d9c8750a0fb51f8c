// Whole-capture totals of an aggregate.
import type { Aggregate } from './aggregate.js';
import { sumTotals, type Totals } from './totals.js';

export { perSecond } from './totals.js';

// Sums over every syscall (the same shape as a profile's totals).
export type CaptureTotals = Totals;

// Totals; zero calls and a zero or unknown duration are fine.
export function captureTotals(aggregate: Aggregate, durationNs: number | null): CaptureTotals {
  return sumTotals(aggregate.syscalls, durationNs);
}
