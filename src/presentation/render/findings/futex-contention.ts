// The words of futex-contention.
import type { FutexContentionFinding } from '../../../core/analysis/rules/futex-contention.js';
import { formatCount, formatDuration } from '../units.js';
import { ofWall, plural, type FindingText } from './text.js';

// Long futex waits across threads.
export function futexContentionText(f: FutexContentionFinding): FindingText {
  const m = f.metrics;
  const evidence = [
    `${formatCount(m.longWaits)} of ${formatCount(m.waits)} futex waits lasted ${formatDuration(m.longWaitMinNs)} or more, ${formatDuration(m.longWaitNs)} in all${ofWall(m.wallShare)}, across ${formatCount(m.threads)} threads`,
    `${formatCount(m.wakes)} futex wakes${m.timedOut > 0 ? `; ${formatCount(m.timedOut)} waits timed out (timed waits, not counted as long)` : ''}`,
  ];
  const w = f.subject.word;
  if (w !== null) evidence.push(`Most waiting on futex word ${w.address} of pid ${w.pid}: ${formatCount(w.longWaits)} long waits by ${formatCount(w.threads)} threads, ${formatDuration(w.longWaitNs)}`);
  if (m.joins > 0) evidence.push(`${formatCount(m.joins)} thread join${plural(m.joins)} (${formatDuration(m.joinNs)}) left out: waiting for a thread to finish is not contention`);
  return {
    title: `Lock contention: ${formatCount(m.longWaits)} long futex waits across ${formatCount(m.threads)} threads`,
    evidence,
    why: 'Threads queued on one lock run one at a time, so adding threads adds waiting instead of throughput.',
    recommendation: [
      'Shorten the critical section: move I/O and allocation out of the locked region',
      'Split the lock (per-shard or per-object locks), or use lock-free or per-thread structures for hot counters and queues',
      'Use a reader-writer lock if most holders only read',
      'If the word is a condition variable of an idle pool, this is waiting for work, not contention',
    ],
  };
}
