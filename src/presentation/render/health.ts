// Warning lines for what the profiler missed.
import type { HealthCounters } from '../../core/model/profile.js';
import { formatCount } from './units.js';

const MESSAGES: ReadonlyArray<[keyof HealthCounters, string]> = [
  ['missedStarts', 'calls had started before tracing began and were not timed'],
  ['untrackedThreads', 'calls came from threads the profiler could not track and were not timed'],
  ['processDrops', 'calls were not attributed to a process (per-process table full)'],
  ['lostEvents', 'per-call records were lost (buffer full)'],
  ['badSyscallNr', 'calls had syscall numbers the profiler cannot index (e.g. x32 ABI) and were ignored'],
  ['inFlightTruncated', 'more in-flight calls were not listed'],
  ['timeDrops', 'exited threads were left out of the CPU time and thread lifetimes (per-process table full)'],
  ['tcpDrops', 'TCP connection events were not counted (per-process TCP table full)'],
];

// One sentence per non-zero counter; empty when nothing was missed.
export function healthWarnings(health: HealthCounters): string[] {
  return MESSAGES.filter(([key]) => (health[key] ?? 0) > 0).map(([key, text]) => `${formatCount(health[key] ?? 0)} ${text}`);
}
