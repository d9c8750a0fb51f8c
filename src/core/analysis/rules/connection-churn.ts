// Rule connection-churn: many short connections to the same peer (or from
// clients to the same listening address) -> keep connections alive, pool them.
//
// Fires per group of connections (process name, direction, endpoint: see
// facts/connection-facts.ts) with at least CHURN_MIN_CONNECTIONS connections
// carrying at most CHURN_MAX_REQUESTS request/response turns each on average.
// Connections of unknown origin are left out (their opening was not seen).
// One finding for all such groups. Needs per-call facts.
//
// Saving: the measured cost of opening and closing a connection in the group
// (socket, connect, the work of accept - never its wait for a client -,
// shutdown, close: setupNs + teardownNs over its connections) times the
// connections reuse would avoid: all but the most that were open at once
// (a pool of that size would carry the same traffic). At most the time it comes from.
import type { ConnectionGroup } from '../facts/connection-facts.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';

// A group needs at least this many connections...
export const CHURN_MIN_CONNECTIONS = 50;
// ...carrying at most this many requests each on average.
export const CHURN_MAX_REQUESTS = 2;
// Groups listed in a finding.
export const CHURN_SHOWN = 5;

// One group of short connections, with its numbers.
export interface ChurnGroup {
  readonly comm: string;
  readonly direction: 'outbound' | 'inbound';
  readonly endpoint: string | null;
  readonly transport: string;
  readonly connections: number;
  readonly requestsPerConnection: number;
  readonly maxConcurrent: number;
  // connections a pool of maxConcurrent would have avoided
  readonly avoidable: number;
  // opening and closing cost, all connections, and per connection
  readonly costNs: number;
  readonly nsPerConnection: number;
  readonly connectP50Ns: number | null;
  readonly lifetimeP50Ns: number | null;
  readonly savingNs: number;
}

// A connection-churn finding: the groups (most saving first, at most CHURN_SHOWN) and how many in all.
export type ConnectionChurnFinding = Finding<
  'connection-churn',
  { readonly groups: readonly ChurnGroup[]; readonly groupCount: number },
  {
    readonly connections: number;
    readonly avoidable: number;
    readonly costNs: number;
    readonly nsPerConnection: number;
    readonly connectionsPerSec: number | null;
    readonly wallShare: number | null;
  }
>;

// The group's numbers when it churns, else null.
export function churnOf(g: ConnectionGroup): ChurnGroup | null {
  if (g.direction === 'unknown' || g.connections < CHURN_MIN_CONNECTIONS) return null;
  const requestsPerConnection = g.requests / g.connections;
  if (requestsPerConnection > CHURN_MAX_REQUESTS) return null;
  const costNs = g.setupNs + g.teardownNs;
  const nsPerConnection = costNs / g.connections;
  const avoidable = Math.max(0, g.connections - Math.max(1, g.maxConcurrent));
  return {
    comm: g.comm,
    direction: g.direction,
    endpoint: g.endpoint,
    transport: g.transport,
    connections: g.connections,
    requestsPerConnection,
    maxConcurrent: g.maxConcurrent,
    avoidable,
    costNs,
    nsPerConnection,
    connectP50Ns: g.connect?.p50Ns ?? null,
    lifetimeP50Ns: g.lifetime?.p50Ns ?? null,
    // avoidable <= connections: never more than the measured cost
    savingNs: Math.min(costNs, nsPerConnection * avoidable),
  };
}

// Many short connections: keep them alive or pool them.
export function connectionChurn(ctx: FindingContext): ConnectionChurnFinding[] {
  if (ctx.facts === null) return [];
  const groups = ctx.facts.connections.groups.map(churnOf).filter((g): g is ChurnGroup => g !== null);
  if (groups.length === 0) return [];
  groups.sort((a, b) => b.savingNs - a.savingNs || b.connections - a.connections);
  const connections = groups.reduce((n, g) => n + g.connections, 0);
  const avoidable = groups.reduce((n, g) => n + g.avoidable, 0);
  const costNs = groups.reduce((n, g) => n + g.costNs, 0);
  const savingNs = groups.reduce((n, g) => n + g.savingNs, 0);
  const top = groups[0]!;
  const accept = ctx.syscall('accept4') !== undefined ? 'accept4' : 'accept';
  return [
    finding<ConnectionChurnFinding>(ctx, {
      rule: 'connection-churn',
      syscall: top.direction === 'outbound' ? 'connect' : accept,
      // the calls churn consists of: a generic finding about any of them gives way
      alsoAbout: [...(top.direction === 'outbound' ? ['socket'] : []), ...(groups.some((g) => g.direction === 'inbound') ? ['accept', 'accept4'].filter((a) => a !== accept || top.direction === 'outbound') : []), 'close'],
      subject: { groups: groups.slice(0, CHURN_SHOWN), groupCount: groups.length },
      metrics: {
        connections,
        avoidable,
        costNs,
        nsPerConnection: costNs / connections,
        connectionsPerSec: ctx.durationNs !== null && ctx.durationNs > 0 ? connections / (ctx.durationNs / 1e9) : null,
        wallShare: wallShare(ctx, costNs),
      },
      savingNs,
    }),
  ];
}

// The rule's registry entry.
export const CONNECTION_CHURN: FindingRule<ConnectionChurnFinding> = { id: 'connection-churn', generic: false, run: connectionChurn };
