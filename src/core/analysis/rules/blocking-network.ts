// Rule blocking-network: network calls that block the thread for a long time
// -> non-blocking sockets with an event loop, or io_uring.
//
// Fires when at least BLOCKING_MIN_CALLS calls on sockets not known to be
// non-blocking took BLOCKING_CALL_NS or more (facts/network-facts.ts; accept is
// left out), adding up to at least BLOCKING_MIN_WALL_SHARE of the wall time
// (when known), not counting the reads nagle-stall claims (their wait is a
// delayed ACK, not a blocking design). Needs per-call facts (fd flags).
//
// Saving: with k requests in flight at once the waits overlap, leaving 1/k of
// them: blockingTime * (1 - 1/k), k = the distinct sockets blocked on, at least
// 2 (one other request in flight while waiting).
import { BLOCKING_CALL_NS } from '../facts/network-facts.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';
import { nagleOf } from './nagle-stall.js';

// At least this many blocking calls...
export const BLOCKING_MIN_CALLS = 10;
// ...adding up to at least this share of the wall time.
export const BLOCKING_MIN_WALL_SHARE = 0.1;

// Syscalls listed in the evidence.
export const BLOCKING_SHOWN = 3;

// A blocking-network finding: the syscalls that blocked (most time first, at most BLOCKING_SHOWN).
export type BlockingNetworkFinding = Finding<
  'blocking-network',
  { readonly bySyscall: readonly { readonly syscall: string; readonly calls: number; readonly totalNs: number }[] },
  {
    readonly blockingCalls: number;
    readonly blockingNs: number;
    // a call counts as blocking from this long
    readonly blockingCallMinNs: number;
    readonly wallShare: number | null;
    readonly sockets: number;
    readonly threads: number;
    readonly nonBlockingCalls: number;
    readonly socketCalls: number;
  }
>;

// Blocking network calls on the hot path.
export function blockingNetwork(ctx: FindingContext): BlockingNetworkFinding[] {
  if (ctx.facts === null) return [];
  const all = ctx.facts.network;
  // reads stalled by Nagle and delayed ACKs are nagle-stall's: a non-blocking socket would not shorten them
  let claimedCalls = 0;
  let claimedNs = 0;
  for (const g of ctx.facts.connections.groups) {
    const stalled = nagleOf(g);
    if (stalled === null) continue;
    claimedCalls += stalled.stallBlockingCalls;
    claimedNs += stalled.stallBlockingNs;
  }
  const n = { ...all, blockingCalls: all.blockingCalls - claimedCalls, blockingNs: Math.max(0, all.blockingNs - claimedNs) };
  if (n.blockingCalls < BLOCKING_MIN_CALLS) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && n.blockingNs < BLOCKING_MIN_WALL_SHARE * ctx.durationNs) return [];
  const k = Math.max(2, n.blockingSockets);
  const top = n.bySyscall[0]!;
  return [
    finding<BlockingNetworkFinding>(ctx, {
      rule: 'blocking-network',
      syscall: top.syscall,
      subject: { bySyscall: n.bySyscall.slice(0, BLOCKING_SHOWN).map((s) => ({ syscall: s.syscall, calls: s.calls, totalNs: s.totalNs })) },
      metrics: {
        blockingCalls: n.blockingCalls,
        blockingNs: n.blockingNs,
        blockingCallMinNs: BLOCKING_CALL_NS,
        wallShare: wallShare(ctx, n.blockingNs),
        sockets: n.blockingSockets,
        threads: n.blockingThreads,
        nonBlockingCalls: n.nonBlockingCalls,
        socketCalls: n.calls,
      },
      savingNs: n.blockingNs * (1 - 1 / k),
    }),
  ];
}

// The rule's registry entry.
export const BLOCKING_NETWORK: FindingRule<BlockingNetworkFinding> = { id: 'blocking-network', generic: false, run: blockingNetwork };
