// The words of busy-poll.
import type { BusyPollFinding } from '../../../core/analysis/rules/busy-poll.js';
import { formatCount, formatDuration, formatPercent, formatRate } from '../units.js';
import { plural, type FindingText } from './text.js';

// Zero-timeout polling in a loop.
export function busyPollText(f: BusyPollFinding): FindingText {
  const m = f.metrics;
  const spinning = f.subject.spinning;
  const what = spinning.length === 1 ? `${f.syscall}() calls` : `polls (${spinning.map((p) => `${formatCount(p.emptyPolls)} ${p.syscall}`).join(', ')})`;
  return {
    title: `Busy polling: ${formatCount(m.emptyPolls)} ${what} returned nothing with a zero timeout`,
    evidence: [
      `${formatCount(m.emptyPolls)} of ${formatCount(m.polls)} poll calls (${formatPercent(m.emptyShare)}) had a zero timeout and returned no events${m.inferred > 0 ? ` (${formatCount(m.inferred)} judged zero-timeout by returning within microseconds)` : ''}`,
      `${m.emptyPerSec !== null ? `${formatRate(m.emptyPerSec)} per second` : 'back to back'} over ${formatDuration(m.spinNs)} of spinning in ${formatCount(m.threads)} thread${plural(m.threads)}; the calls themselves took ${formatDuration(m.emptyPollNs)}`,
    ],
    why: 'A zero-timeout poll in a loop keeps a CPU busy doing nothing, taking it from other work and adding power use without lowering latency much.',
    recommendation: [
      'Block in epoll_wait/poll with a real timeout (-1, or the time to the next deadline) and let the kernel wake the thread',
      'If low latency needs spinning, spin briefly (a bounded number of tries) before blocking, and keep it to a dedicated core',
    ],
  };
}
