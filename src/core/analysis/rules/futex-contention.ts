// Rule futex-contention: many long futex waits across threads -> a contended lock.
//
// Fires when there are at least FUTEX_MIN_LONG_WAITS futex waits (FUTEX_WAIT,
// FUTEX_WAIT_BITSET) of at least FUTEX_LONG_WAIT_NS that did not time out, from
// at least FUTEX_MIN_THREADS threads, taking at least FUTEX_MIN_WALL_SHARE of
// the wall time (when known). Needs per-call facts (the futex op argument).
// Threads of a pool waiting for work on a condition variable look the same: the
// evidence names the futex word so it can be told apart. Thread joins
// (pthread_join waits until the joined thread exits) are left out (wait-facts.ts).
//
// The count is modest because a contended lock on a machine with more runnable
// threads than CPUs shows few, long waits, not many short ones: a woken waiter
// waits for a CPU (up to a scheduler tick) and finds the lock taken again, so
// the lock passes among the threads already running. test/workloads/
// futex_contention (4 threads x 100 rounds holding the lock for 200 us, on 2
// CPUs) made 33 to 57 long waits of 4-40 ms: 300-500 ms of waiting in under
// 200 ms of wall time.
//
// Saving: while N threads queue on a lock their waits overlap; the wall time
// lost is about the long wait time divided by the waiting threads (at most the
// wall time): longWaitNs / threads.
import { FUTEX_LONG_WAIT_NS } from '../facts/wait-facts.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';

// At least this many long waits...
export const FUTEX_MIN_LONG_WAITS = 20;
// ...from at least this many threads...
export const FUTEX_MIN_THREADS = 2;
// ...adding up to at least this share of the wall time.
export const FUTEX_MIN_WALL_SHARE = 0.1;

// A futex-contention finding: the futex word most waited on (null when none stands out).
export type FutexContentionFinding = Finding<
  'futex-contention',
  { readonly word: { readonly address: string; readonly pid: number; readonly longWaits: number; readonly threads: number; readonly longWaitNs: number } | null },
  {
    readonly longWaits: number;
    readonly waits: number;
    // a wait counts as long from this long
    readonly longWaitMinNs: number;
    readonly longWaitNs: number;
    readonly wallShare: number | null;
    readonly threads: number;
    readonly wakes: number;
    readonly timedOut: number;
    // thread joins left out, and their time
    readonly joins: number;
    readonly joinNs: number;
  }
>;

// Long futex waits across threads.
export function futexContention(ctx: FindingContext): FutexContentionFinding[] {
  if (ctx.facts === null) return [];
  const f = ctx.facts.waits.futex;
  if (f.longWaits < FUTEX_MIN_LONG_WAITS || f.longWaitThreads < FUTEX_MIN_THREADS) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && f.longWaitNs < FUTEX_MIN_WALL_SHARE * ctx.durationNs) return [];
  const savingNs = Math.min(f.longWaitNs / f.longWaitThreads, ctx.durationNs ?? Infinity);
  const top = f.addresses[0];
  return [
    finding<FutexContentionFinding>(ctx, {
      rule: 'futex-contention',
      syscall: 'futex',
      subject: { word: top !== undefined && top.longWaits > 0 ? { address: top.address, pid: top.pid, longWaits: top.longWaits, threads: top.threads, longWaitNs: top.longWaitNs } : null },
      metrics: {
        longWaits: f.longWaits,
        waits: f.waits,
        longWaitMinNs: FUTEX_LONG_WAIT_NS,
        longWaitNs: f.longWaitNs,
        wallShare: wallShare(ctx, f.longWaitNs),
        threads: f.longWaitThreads,
        wakes: f.wakes,
        timedOut: f.timedOut,
        joins: f.joins,
        joinNs: f.joinNs,
      },
      savingNs,
    }),
  ];
}

// The rule's registry entry.
export const FUTEX_CONTENTION: FindingRule<FutexContentionFinding> = { id: 'futex-contention', generic: false, run: futexContention };
