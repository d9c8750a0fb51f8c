// The connections a report shows: the groups with the most connections first
// (facts/connection-facts.ts), at most a number of them, and the totals.
import type { ConnectionFacts, ConnectionGroup } from './facts/connection-facts.js';

// Groups a report lists (JSON has the same cut; analyze --connections --json has them all).
export const CONNECTION_GROUPS_SHOWN = 20;

// The connections section's data.
export interface ConnectionTable {
  // by connections, most first
  readonly groups: readonly ConnectionGroup[];
  // groups left out
  readonly omitted: number;
  readonly connections: number;
  readonly unknownOrigin: number;
  readonly untracked: number;
  readonly foldedGroups: number;
}

// The table of a capture's connections; `top` null keeps every group.
export function connectionTable(facts: ConnectionFacts, top: number | null = CONNECTION_GROUPS_SHOWN): ConnectionTable {
  const groups = top === null ? facts.groups : facts.groups.slice(0, top);
  return {
    groups,
    omitted: facts.groups.length - groups.length,
    connections: facts.connections,
    unknownOrigin: facts.unknownOrigin,
    untracked: facts.untracked,
    foldedGroups: facts.foldedGroups,
  };
}

// A group's failed connections: refused, reset, timed out, failed to connect.
export function failedConnections(g: ConnectionGroup): number {
  return g.outcomes.refused + g.outcomes.reset + g.outcomes['timed-out'] + g.outcomes['connect-failed'];
}
