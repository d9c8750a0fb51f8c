// Rule blocking-network: network calls that block the thread for a long time
// -> non-blocking sockets with an event loop, or io_uring.
//
// Fires when at least BLOCKING_MIN_CALLS calls on sockets not known to be
// non-blocking took BLOCKING_CALL_NS or more (facts/network-facts.ts; accept is
// left out), adding up to at least BLOCKING_MIN_WALL_SHARE of the wall time
// (when known). Needs per-call facts (fd flags).
//
// Saving: with k requests in flight at once the waits overlap, leaving 1/k of
// them: blockingTime * (1 - 1/k), k = the distinct sockets blocked on, at least
// 2 (one other request in flight while waiting).
import { formatCount, formatDuration } from '../../../presentation/render/units.js';
import { BLOCKING_CALL_NS } from '../facts/network-facts.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';

// At least this many blocking calls...
export const BLOCKING_MIN_CALLS = 10;
// ...adding up to at least this share of the wall time.
export const BLOCKING_MIN_WALL_SHARE = 0.1;

// Blocking network calls on the hot path.
export function blockingNetwork(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  const n = ctx.facts.network;
  if (n.blockingCalls < BLOCKING_MIN_CALLS) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && n.blockingNs < BLOCKING_MIN_WALL_SHARE * ctx.durationNs) return [];
  const k = Math.max(2, n.blockingSockets);
  const top = n.bySyscall[0]!;
  return [
    finding(ctx, {
      rule: 'blocking-network',
      syscall: top.syscall,
      title: `${formatCount(n.blockingCalls)} blocking network calls took ${formatDuration(n.blockingNs)}`,
      evidence: [
        `${formatCount(n.blockingCalls)} calls on blocking sockets took ${formatDuration(BLOCKING_CALL_NS)} or more: ${formatDuration(n.blockingNs)} in all${ofWall(ctx, n.blockingNs)}`,
        `On ${formatCount(n.blockingSockets)} socket${n.blockingSockets === 1 ? '' : 's'} from ${formatCount(n.blockingThreads)} thread${n.blockingThreads === 1 ? '' : 's'}: ${n.bySyscall.slice(0, 3).map((s) => `${s.syscall} ${formatCount(s.calls)} (${formatDuration(s.totalNs)})`).join(', ')}`,
        `${formatCount(n.nonBlockingCalls)} of ${formatCount(n.calls)} socket calls were on non-blocking sockets`,
      ],
      why: 'A thread blocked on the network does nothing else until the peer answers, so requests are served one round trip at a time.',
      recommendation: [
        'Use non-blocking sockets with an event loop (epoll) or io_uring, so one thread keeps several requests in flight',
        'Pipeline or batch requests to the same peer, and reuse connections instead of connecting per request',
        'Set timeouts so one slow peer cannot stall the thread',
      ],
      savingNs: n.blockingNs * (1 - 1 / k),
    }),
  ];
}
