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
import { perSecond } from '../totals.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { roundTripNs } from './measure.js';

// The sleep syscalls.
export const SLEEP_SYSCALLS = ['nanosleep', 'clock_nanosleep'] as const;
// At least this many sleeps...
export const SLEEP_LOOP_MIN_CALLS = 100;
// ...with a median at most this long...
export const SLEEP_SHORT_NS = 2_000_000;
// ...at least this many per second.
export const SLEEP_LOOP_MIN_RATE = 50;

// A sleep-loop finding.
export type SleepLoopFinding = Finding<
  'sleep-loop',
  object,
  {
    readonly calls: number;
    // null when the wall time is unknown
    readonly callsPerSec: number | null;
    readonly medianNs: number;
    // the median estimated from histograms
    readonly estimated: boolean;
    // time asleep, all calls
    readonly totalNs: number;
    // on the CPU inside the sleeps; null when the capture has no off-CPU times
    readonly onCpuNs: number | null;
    // what a wake-up costs: onCpuNs / calls, else a measured kernel round trip (0 when none)
    readonly perWakeNs: number;
    // the kernel round trip measured by other syscalls; null when none did
    readonly roundTripNs: number | null;
  }
>;

// Tiny-timeout sleep loops.
export function sleepLoop(ctx: FindingContext): SleepLoopFinding[] {
  return SLEEP_SYSCALLS.flatMap((name): SleepLoopFinding[] => {
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
      finding<SleepLoopFinding>(ctx, {
        rule: 'sleep-loop',
        syscall: name,
        subject: {},
        metrics: { calls: s.count, callsPerSec: rate, medianNs: median, estimated: !s.distribution.exact, totalNs: s.totalNs, onCpuNs: onCpu, perWakeNs: perWake, roundTripNs: trip },
        savingNs,
      }),
    ];
  });
}

// The rule's registry entry.
export const SLEEP_LOOP: FindingRule<SleepLoopFinding> = { id: 'sleep-loop', generic: false, run: sleepLoop };
