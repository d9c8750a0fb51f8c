// Rule connection-errors: connections refused, reset or timed out.
//
// Fires when at least CONN_ERRORS_MIN connections in all ended refused,
// reset (ECONNRESET, EPIPE), timed out (ETIMEDOUT) or with another connect
// error, making at least CONN_ERRORS_SHARE of the connections of their groups.
// One finding, listing the groups with errors. Saving: none estimated (what the
// errors cost the application - retries, failed requests - is not in the calls).
// It is about connect when the most errors are connect errors, so a generic
// failing-syscall finding about connect gives way to it.
import type { ConnectionGroup } from '../facts/connection-facts.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';

// At least this many failed connections...
export const CONN_ERRORS_MIN = 3;
// ...making at least this share of their groups' connections.
export const CONN_ERRORS_SHARE = 0.01;
// Groups listed in a finding.
export const CONN_ERRORS_SHOWN = 5;

// A group with failed connections.
export interface ErrorGroup {
  readonly comm: string;
  readonly direction: ConnectionGroup['direction'];
  readonly endpoint: string | null;
  readonly connections: number;
  readonly refused: number;
  readonly reset: number;
  readonly timedOut: number;
  readonly connectFailed: number;
}

// A connection-errors finding.
export type ConnectionErrorsFinding = Finding<
  'connection-errors',
  { readonly groups: readonly ErrorGroup[]; readonly groupCount: number },
  { readonly connections: number; readonly failed: number; readonly refused: number; readonly reset: number; readonly timedOut: number; readonly connectFailed: number; readonly failedShare: number }
>;

// Connections that ended in an error.
export function connectionErrors(ctx: FindingContext): ConnectionErrorsFinding[] {
  if (ctx.facts === null) return [];
  const groups: ErrorGroup[] = ctx.facts.connections.groups
    .map((g) => ({ comm: g.comm, direction: g.direction, endpoint: g.endpoint, connections: g.connections, refused: g.outcomes.refused, reset: g.outcomes.reset, timedOut: g.outcomes['timed-out'], connectFailed: g.outcomes['connect-failed'] }))
    .filter((g) => g.refused + g.reset + g.timedOut + g.connectFailed > 0);
  const sum = (f: (g: ErrorGroup) => number): number => groups.reduce((n, g) => n + f(g), 0);
  const refused = sum((g) => g.refused);
  const reset = sum((g) => g.reset);
  const timedOut = sum((g) => g.timedOut);
  const connectFailed = sum((g) => g.connectFailed);
  const failed = refused + reset + timedOut + connectFailed;
  const connections = sum((g) => g.connections);
  if (failed < CONN_ERRORS_MIN || failed < CONN_ERRORS_SHARE * connections) return [];
  groups.sort((a, b) => b.refused + b.reset + b.timedOut + b.connectFailed - (a.refused + a.reset + a.timedOut + a.connectFailed));
  const connectErrors = refused + connectFailed + timedOut;
  return [
    finding<ConnectionErrorsFinding>(ctx, {
      rule: 'connection-errors',
      syscall: connectErrors * 2 >= failed ? 'connect' : null,
      subject: { groups: groups.slice(0, CONN_ERRORS_SHOWN), groupCount: groups.length },
      metrics: { connections, failed, refused, reset, timedOut, connectFailed, failedShare: failed / connections },
      savingNs: 0,
    }),
  ];
}

// The rule's registry entry.
export const CONNECTION_ERRORS: FindingRule<ConnectionErrorsFinding> = { id: 'connection-errors', generic: false, run: connectionErrors };
