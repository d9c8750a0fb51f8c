// The --json output of `analyze --connections`:
// { "format": "syscall-prof/connections", "version": 1, "input",
//   "connections": { "groups": [ConnectionGroup], "omitted", "connections",
//                    "unknownOrigin", "untracked", "foldedGroups" } | null }
// ConnectionGroup is core/analysis/facts/connection-facts.ts's (times in ns;
// latencies { count, p50Ns, p99Ns, maxNs, meanNs } or null); null without per-call events.
import type { ConnectionTable } from '../../core/analysis/connection-table.js';

// Version of the object; bump on incompatible changes.
export const CONNECTIONS_JSON_VERSION = 1;

// The connections as JSON text, ending with a newline.
export function renderConnectionsJson(input: string, table: ConnectionTable | null): string {
  return `${JSON.stringify({ format: 'syscall-prof/connections', version: CONNECTIONS_JSON_VERSION, input, connections: table }, null, 2)}\n`;
}
