// Rule slow-first-byte: outbound connections whose first response comes long
// after the request, compared with the network's round trip -> the time is the
// server's (think time), not the network's.
//
// Fires per outbound group (facts/connection-facts.ts) with at least
// SLOW_FIRST_BYTE_MIN connections whose median first response (end of the
// first write to the end of the first read after it) is at least
// SLOW_FIRST_BYTE_NS and at least SLOW_FIRST_BYTE_RATIO times the median
// connect (one round trip plus the kernel's work: what the network takes).
// Groups whose requests stall on delayed ACKs are left to nagle-stall. One
// finding. Saving: none estimated - the time is spent in the server, and a
// client waiting on it is waiting, not working.
import type { ConnectionGroup } from '../facts/connection-facts.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';

// A group needs at least this many connections with a first response...
export const SLOW_FIRST_BYTE_MIN = 3;
// ...a median first response at least this long...
export const SLOW_FIRST_BYTE_NS = 100_000_000;
// ...and at least this many times the median connect.
export const SLOW_FIRST_BYTE_RATIO = 10;

// One group with slow first responses.
export interface SlowFirstByteGroup {
  readonly comm: string;
  readonly endpoint: string | null;
  readonly connections: number;
  readonly firstResponseP50Ns: number;
  readonly firstResponseP99Ns: number;
  // median connect: the network's round trip as measured; null when no blocking connect was seen
  readonly connectP50Ns: number | null;
  // first response minus connect: the server's share
  readonly serverNs: number;
  readonly syscall: string | null;
}

// A slow-first-byte finding.
export type SlowFirstByteFinding = Finding<'slow-first-byte', { readonly groups: readonly SlowFirstByteGroup[] }, { readonly connections: number; readonly firstResponseP50Ns: number; readonly serverNs: number }>;

function slowOf(g: ConnectionGroup): SlowFirstByteGroup | null {
  const r = g.firstResponse;
  if (g.direction !== 'outbound' || r === null || r.count < SLOW_FIRST_BYTE_MIN || r.p50Ns < SLOW_FIRST_BYTE_NS) return null;
  if (g.stalls > 0) return null;
  const connect = g.connect?.p50Ns ?? null;
  if (connect !== null && r.p50Ns < SLOW_FIRST_BYTE_RATIO * connect) return null;
  return { comm: g.comm, endpoint: g.endpoint, connections: r.count, firstResponseP50Ns: r.p50Ns, firstResponseP99Ns: r.p99Ns, connectP50Ns: connect, serverNs: Math.max(0, r.p50Ns - (connect ?? 0)), syscall: g.firstResponseSyscall };
}

// First responses slow against the network's round trip.
export function slowFirstByte(ctx: FindingContext): SlowFirstByteFinding[] {
  if (ctx.facts === null) return [];
  const groups = ctx.facts.connections.groups.map(slowOf).filter((g): g is SlowFirstByteGroup => g !== null);
  if (groups.length === 0) return [];
  groups.sort((a, b) => b.firstResponseP50Ns * b.connections - a.firstResponseP50Ns * a.connections);
  const top = groups[0]!;
  return [
    finding<SlowFirstByteFinding>(ctx, {
      rule: 'slow-first-byte',
      // the reads that waited for the first response: a generic finding about their latency gives way
      syscall: top.syscall,
      subject: { groups },
      metrics: { connections: groups.reduce((n, g) => n + g.connections, 0), firstResponseP50Ns: top.firstResponseP50Ns, serverNs: top.serverNs },
      savingNs: 0,
    }),
  ];
}

// The rule's registry entry.
export const SLOW_FIRST_BYTE: FindingRule<SlowFirstByteFinding> = { id: 'slow-first-byte', generic: false, run: slowFirstByte };
