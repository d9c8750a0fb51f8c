// The words of sleep-loop.
import type { SleepLoopFinding } from '../../../core/analysis/rules/sleep-loop.js';
import { formatCount, formatDuration, formatRate } from '../units.js';
import type { FindingText } from './text.js';

// Tiny-timeout sleep loops.
export function sleepLoopText(f: SleepLoopFinding): FindingText {
  const m = f.metrics;
  return {
    title: `Sleep loop: ${formatCount(m.calls)} short ${f.syscall}() calls`,
    evidence: [
      `${formatCount(m.calls)} calls${m.callsPerSec === null ? '' : ` (${formatRate(m.callsPerSec)} per second)`}, median ${formatDuration(m.medianNs)}${m.estimated ? ' (estimated)' : ''}, ${formatDuration(m.totalNs)} asleep in all`,
      m.onCpuNs !== null
        ? `${formatDuration(m.onCpuNs)} of that on the CPU: ${formatDuration(m.perWakeNs)} per wake-up`
        : m.roundTripNs !== null
          ? `Each wake-up costs at least a kernel round trip, ${formatDuration(m.perWakeNs)} here`
          : 'Each wake-up costs at least a kernel round trip, which no other syscall here measured',
    ],
    why: 'Sleeping a little at a time to check a condition wakes the thread thousands of times for nothing and still reacts up to a whole sleep late.',
    recommendation: [
      'Wait on the event itself: a condition variable or futex, an eventfd or pipe in epoll, or pthread_join/waitpid',
      'If polling is unavoidable, back off (longer sleeps when nothing changes)',
    ],
  };
}
