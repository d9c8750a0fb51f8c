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
import { formatCount, formatDuration } from '../../../presentation/render/units.js';
import { FUTEX_LONG_WAIT_NS } from '../facts/wait-facts.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';

// At least this many long waits...
export const FUTEX_MIN_LONG_WAITS = 20;
// ...from at least this many threads...
export const FUTEX_MIN_THREADS = 2;
// ...adding up to at least this share of the wall time.
export const FUTEX_MIN_WALL_SHARE = 0.1;

// Long futex waits across threads.
export function futexContention(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  const f = ctx.facts.waits.futex;
  if (f.longWaits < FUTEX_MIN_LONG_WAITS || f.longWaitThreads < FUTEX_MIN_THREADS) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && f.longWaitNs < FUTEX_MIN_WALL_SHARE * ctx.durationNs) return [];
  const savingNs = Math.min(f.longWaitNs / f.longWaitThreads, ctx.durationNs ?? Infinity);
  const top = f.addresses[0];
  const evidence = [
    `${formatCount(f.longWaits)} of ${formatCount(f.waits)} futex waits lasted ${formatDuration(FUTEX_LONG_WAIT_NS)} or more, ${formatDuration(f.longWaitNs)} in all${ofWall(ctx, f.longWaitNs)}, across ${formatCount(f.longWaitThreads)} threads`,
    `${formatCount(f.wakes)} futex wakes${f.timedOut > 0 ? `; ${formatCount(f.timedOut)} waits timed out (timed waits, not counted as long)` : ''}`,
  ];
  if (top !== undefined && top.longWaits > 0) {
    evidence.push(`Most waiting on futex word ${top.address} of pid ${top.pid}: ${formatCount(top.longWaits)} long waits by ${formatCount(top.threads)} threads, ${formatDuration(top.longWaitNs)}`);
  }
  if (f.joins > 0) {
    evidence.push(`${formatCount(f.joins)} thread join${f.joins === 1 ? '' : 's'} (${formatDuration(f.joinNs)}) left out: waiting for a thread to finish is not contention`);
  }
  return [
    finding(ctx, {
      rule: 'futex-contention',
      syscall: 'futex',
      title: `Lock contention: ${formatCount(f.longWaits)} long futex waits across ${formatCount(f.longWaitThreads)} threads`,
      evidence,
      why: 'Threads queued on one lock run one at a time, so adding threads adds waiting instead of throughput.',
      recommendation: [
        'Shorten the critical section: move I/O and allocation out of the locked region',
        'Split the lock (per-shard or per-object locks), or use lock-free or per-thread structures for hot counters and queues',
        'Use a reader-writer lock if most holders only read',
        'If the word is a condition variable of an idle pool, this is waiting for work, not contention',
      ],
      savingNs,
    }),
  ];
}
