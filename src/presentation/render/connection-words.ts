// Words for connection groups, shared by the findings and the Connections tables.
import type { ConnectionDirection } from '../../core/analysis/facts/connection-facts.js';

// "wrk -> 127.0.0.1:80", "nginx <- clients of 0.0.0.0:80", "php ?? 10.0.0.5:5432 (opened elsewhere)".
export function connectionGroupLabel(g: { readonly comm: string; readonly direction: ConnectionDirection; readonly endpoint: string | null }): string {
  const who = g.comm === '' ? 'other processes' : g.comm;
  const where = g.endpoint ?? 'an address not seen';
  if (g.direction === 'outbound') return `${who} -> ${where}`;
  if (g.direction === 'inbound') return `${who} <- clients of ${where}`;
  return `${who} <-> ${where} (opened elsewhere)`;
}
