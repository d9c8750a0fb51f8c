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
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';

// At least this many empty zero-timeout polls...
export const BUSY_POLL_MIN_CALLS = 100;
// ...making at least this share of all polls...
export const BUSY_POLL_SHARE = 0.5;
// ...at least this often per second while spinning.
export const BUSY_POLL_MIN_RATE = 1000;

// A busy-poll finding: the poll syscalls that spun, with their empty polls.
export type BusyPollFinding = Finding<
  'busy-poll',
  { readonly spinning: readonly { readonly syscall: string; readonly emptyPolls: number }[] },
  {
    readonly emptyPolls: number;
    readonly polls: number;
    readonly emptyShare: number;
    // empty polls judged zero-timeout by returning within microseconds
    readonly inferred: number;
    // empty polls per second of spinning; null when they came back to back (no time between)
    readonly emptyPerSec: number | null;
    readonly spinNs: number;
    readonly threads: number;
    readonly emptyPollNs: number;
  }
>;

// Zero-timeout polling in a loop.
export function busyPoll(ctx: FindingContext): BusyPollFinding[] {
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
  return [
    finding<BusyPollFinding>(ctx, {
      rule: 'busy-poll',
      syscall: top.syscall,
      subject: { spinning: spinning.map((p) => ({ syscall: p.syscall, emptyPolls: p.emptyZeroTimeout })) },
      metrics: {
        emptyPolls: empty,
        polls: calls,
        emptyShare: empty / calls,
        inferred,
        emptyPerSec: Number.isFinite(rate) ? rate : null,
        spinNs,
        threads,
        emptyPollNs: emptyNs,
      },
      savingNs: spinNs,
    }),
  ];
}

// The rule's registry entry.
export const BUSY_POLL: FindingRule<BusyPollFinding> = { id: 'busy-poll', generic: false, run: busyPoll };
