// Rule nagle-stall: requests written in several small writes whose responses
// come ~40 ms later -> Nagle's algorithm holding the last piece back until the
// peer's delayed ACK: one write per request, or TCP_NODELAY.
//
// Fires per group of connections (facts/connection-facts.ts) with at least
// NAGLE_MIN_STALLS stalls (a run of two or more small writes, then a response
// read NAGLE_STALL_MIN_NS..NAGLE_STALL_MAX_NS after the last write) making at
// least NAGLE_MIN_SHARE of its split requests, when requests written in one
// write (if any) were answered faster than a stall: otherwise the peer is just
// slow. Connections that set TCP_NODELAY do not count stalls. One finding.
//
// Saving: the time the stalled reads blocked beyond the median wait of a
// request written in one write (0 without such requests: then the whole wait
// is not claimed, only what a whole request would not have waited): at most
// the reads' own time. A non-blocking socket's wait is in the event loop, which
// is waiting, not a cost: its reads are short and so is the saving.
import { NAGLE_STALL_MIN_NS, type ConnectionGroup } from '../facts/connection-facts.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';

// A group needs at least this many stalls...
export const NAGLE_MIN_STALLS = 5;
// ...making at least this share of its split requests.
export const NAGLE_MIN_SHARE = 0.5;

// One group with stalls.
export interface NagleGroup {
  readonly comm: string;
  readonly direction: ConnectionGroup['direction'];
  readonly endpoint: string | null;
  readonly splitRequests: number;
  readonly stalls: number;
  readonly stallReadNs: number;
  readonly stallBlockingCalls: number;
  readonly stallBlockingNs: number;
  readonly stallSyscall: string | null;
  readonly wholeRequests: number;
  readonly wholeResponseP50Ns: number | null;
  readonly savingNs: number;
}

// A nagle-stall finding.
export type NagleStallFinding = Finding<
  'nagle-stall',
  { readonly groups: readonly NagleGroup[] },
  { readonly splitRequests: number; readonly stalls: number; readonly stallReadNs: number; readonly nsPerStall: number; readonly stallMinNs: number }
>;

// The group's stalls when the rule claims them, else null.
export function nagleOf(g: ConnectionGroup): NagleGroup | null {
  if (g.stalls < NAGLE_MIN_STALLS || g.stalls < NAGLE_MIN_SHARE * g.splitRequests) return null;
  if (g.wholeResponseP50Ns !== null && g.wholeResponseP50Ns >= NAGLE_STALL_MIN_NS) return null;
  const base = g.wholeResponseP50Ns ?? 0;
  return {
    comm: g.comm,
    direction: g.direction,
    endpoint: g.endpoint,
    splitRequests: g.splitRequests,
    stalls: g.stalls,
    stallReadNs: g.stallReadNs,
    stallBlockingCalls: g.stallBlockingCalls,
    stallBlockingNs: g.stallBlockingNs,
    stallSyscall: g.stallSyscall,
    wholeRequests: g.wholeRequests,
    wholeResponseP50Ns: g.wholeResponseP50Ns,
    savingNs: Math.min(g.stallReadNs, Math.max(0, g.stallReadNs - g.stalls * base)),
  };
}

// Small writes held back until a delayed ACK.
export function nagleStall(ctx: FindingContext): NagleStallFinding[] {
  if (ctx.facts === null) return [];
  const groups = ctx.facts.connections.groups.map(nagleOf).filter((g): g is NagleGroup => g !== null);
  if (groups.length === 0) return [];
  groups.sort((a, b) => b.stalls - a.stalls);
  const stalls = groups.reduce((n, g) => n + g.stalls, 0);
  const stallReadNs = groups.reduce((n, g) => n + g.stallReadNs, 0);
  return [
    finding<NagleStallFinding>(ctx, {
      rule: 'nagle-stall',
      // the reads that waited: a generic finding about their latency gives way
      syscall: groups.find((g) => g.stallSyscall !== null)?.stallSyscall ?? null,
      subject: { groups },
      metrics: { splitRequests: groups.reduce((n, g) => n + g.splitRequests, 0), stalls, stallReadNs, nsPerStall: stallReadNs / stalls, stallMinNs: NAGLE_STALL_MIN_NS },
      savingNs: groups.reduce((n, g) => n + g.savingNs, 0),
    }),
  ];
}

// The rule's registry entry.
export const NAGLE_STALL: FindingRule<NagleStallFinding> = { id: 'nagle-stall', generic: false, run: nagleStall };
