// Rule sleep-loop: many short sleeps (nanosleep, clock_nanosleep) - a loop
// polling for a condition by sleeping a little each time.
//
// Fires for a sleep syscall with at least SLEEP_LOOP_MIN_CALLS calls whose
// median is at most SLEEP_SHORT_NS, at least SLEEP_LOOP_MIN_RATE per second of
// wall time (when known). Works from the aggregate alone.
//
// Saving: CPU time of the wake-ups, which waiting on the event itself
// (futex/condition variable, eventfd, epoll) avoids. Per wake-up: the on-CPU
// part of the sleep calls when the capture has off-CPU times ((time - off-CPU)
// / calls), else one kernel round trip as measured in this capture by other
// syscalls (measure.ts; 0 when there are none).
import { formatCount, formatDuration, formatRate } from '../../../presentation/render/units.js';
import { perSecond } from '../totals.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { roundTripNs } from './measure.js';

// The sleep syscalls.
export const SLEEP_SYSCALLS = ['nanosleep', 'clock_nanosleep'] as const;
// At least this many sleeps...
export const SLEEP_LOOP_MIN_CALLS = 100;
// ...with a median at most this long...
export const SLEEP_SHORT_NS = 2_000_000;
// ...at least this many per second.
export const SLEEP_LOOP_MIN_RATE = 50;

// Tiny-timeout sleep loops.
export function sleepLoop(ctx: FindingContext): Finding[] {
  return SLEEP_SYSCALLS.flatMap((name): Finding[] => {
    const s = ctx.syscall(name);
    if (s === undefined || s.count < SLEEP_LOOP_MIN_CALLS) return [];
    const median = s.distribution.percentile(0.5);
    if (median === null || median > SLEEP_SHORT_NS) return [];
    const rate = perSecond(s.count, ctx.durationNs);
    if (rate !== null && rate < SLEEP_LOOP_MIN_RATE) return [];
    const onCpu = s.offCpuNs === null ? null : Math.max(0, s.totalNs - s.offCpuNs);
    const trip = roundTripNs(ctx);
    const perWake = onCpu !== null ? onCpu / s.count : (trip ?? 0);
    const savingNs = s.count * perWake;
    return [
      finding(ctx, {
        rule: 'sleep-loop',
        syscall: name,
        title: `Sleep loop: ${formatCount(s.count)} short ${name}() calls`,
        evidence: [
          `${formatCount(s.count)} calls${rate === null ? '' : ` (${formatRate(rate)} per second)`}, median ${formatDuration(median)}${s.distribution.exact ? '' : ' (estimated)'}, ${formatDuration(s.totalNs)} asleep in all`,
          onCpu !== null
            ? `${formatDuration(onCpu)} of that on the CPU: ${formatDuration(perWake)} per wake-up`
            : trip !== null
              ? `Each wake-up costs at least a kernel round trip, ${formatDuration(perWake)} here`
              : 'Each wake-up costs at least a kernel round trip, which no other syscall here measured',
        ],
        why: 'Sleeping a little at a time to check a condition wakes the thread thousands of times for nothing and still reacts up to a whole sleep late.',
        recommendation: [
          'Wait on the event itself: a condition variable or futex, an eventfd or pipe in epoll, or pthread_join/waitpid',
          'If polling is unavoidable, back off (longer sleeps when nothing changes)',
        ],
        savingNs,
      }),
    ];
  });
}
