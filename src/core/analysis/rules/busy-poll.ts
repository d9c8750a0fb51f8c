// Rule busy-poll: epoll_wait/poll/select called with a zero timeout in a loop,
// returning nothing: the thread spins instead of sleeping until an event.
//
// Fires when, over all poll-family syscalls, at least BUSY_POLL_MIN_CALLS
// calls returned 0 with a zero timeout (wait-facts.ts: read from the argument,
// or inferred from a quick return for timeouts behind a pointer), they are at
// least BUSY_POLL_SHARE of the poll calls, and they come at least
// BUSY_POLL_MIN_RATE per second over the time the threads spun. Needs per-call facts.
//
// Saving: CPU time freed - while a thread spins its CPU is busy; blocking with
// a timeout frees it for the whole time it spun: the sum over threads of the
// span from their first to their last empty poll (of any poll syscall: a loop
// calling epoll_wait and poll spins once, not twice).
import { formatCount, formatDuration, formatPercent, formatRate } from '../../../presentation/render/units.js';
import { finding, type Finding, type FindingContext } from '../findings.js';

// At least this many empty zero-timeout polls...
export const BUSY_POLL_MIN_CALLS = 100;
// ...making at least this share of all polls...
export const BUSY_POLL_SHARE = 0.5;
// ...at least this often per second while spinning.
export const BUSY_POLL_MIN_RATE = 1000;

// Zero-timeout polling in a loop.
export function busyPoll(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  const polls = ctx.facts.waits.polls;
  const calls = polls.reduce((n, p) => n + p.calls, 0);
  const empty = polls.reduce((n, p) => n + p.emptyZeroTimeout, 0);
  const emptyNs = polls.reduce((n, p) => n + p.emptyZeroTimeoutNs, 0);
  const spinNs = ctx.facts.waits.spin.spanNs;
  if (empty < BUSY_POLL_MIN_CALLS || empty / calls < BUSY_POLL_SHARE) return [];
  const rate = spinNs > 0 ? empty / (spinNs / 1e9) : Infinity;
  if (rate < BUSY_POLL_MIN_RATE) return [];
  const top = polls[0]!;
  const inferred = polls.reduce((n, p) => n + p.inferred, 0);
  const threads = ctx.facts.waits.spin.threads;
  const spinning = polls.filter((p) => p.emptyZeroTimeout > 0);
  const what = spinning.length === 1 ? `${top.syscall}() calls` : `polls (${spinning.map((p) => `${formatCount(p.emptyZeroTimeout)} ${p.syscall}`).join(', ')})`;
  return [
    finding(ctx, {
      rule: 'busy-poll',
      syscall: top.syscall,
      title: `Busy polling: ${formatCount(empty)} ${what} returned nothing with a zero timeout`,
      evidence: [
        `${formatCount(empty)} of ${formatCount(calls)} poll calls (${formatPercent(empty / calls)}) had a zero timeout and returned no events${inferred > 0 ? ` (${formatCount(inferred)} judged zero-timeout by returning within microseconds)` : ''}`,
        `${Number.isFinite(rate) ? `${formatRate(rate)} per second` : 'back to back'} over ${formatDuration(spinNs)} of spinning in ${formatCount(threads)} thread${threads === 1 ? '' : 's'}; the calls themselves took ${formatDuration(emptyNs)}`,
      ],
      why: 'A zero-timeout poll in a loop keeps a CPU busy doing nothing, taking it from other work and adding power use without lowering latency much.',
      recommendation: [
        'Block in epoll_wait/poll with a real timeout (-1, or the time to the next deadline) and let the kernel wake the thread',
        'If low latency needs spinning, spin briefly (a bounded number of tries) before blocking, and keep it to a dedicated core',
      ],
      savingNs: spinNs,
    }),
  ];
}
