// Rule listen-overflow: the accept queue of a listening socket overflowed while
// a server was traced (TcpExt ListenOverflows / ListenDrops in the tracer's
// network namespace, recorded in the capture). Each dropped handshake makes
// its client retransmit its SYN after a second or more: latency the server's
// own threads never see, which is why no syscall shows it.
//
// Fires when the namespace counted overflows or drops and the capture has
// successful accept/accept4 calls (a server was traced). No saving is
// estimated: the time is the clients'.
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';

// A listen-overflow finding.
export type ListenOverflowFinding = Finding<'listen-overflow', object, { readonly overflows: number; readonly drops: number; readonly accepts: number }>;

// Listen queue overflows during a traced server's capture.
export function listenOverflow(ctx: FindingContext): ListenOverflowFinding[] {
  const listen = ctx.listen;
  if (listen === null || (listen.overflows === 0 && listen.drops === 0)) return [];
  const accepts = ['accept', 'accept4'].reduce((n, name) => {
    const s = ctx.syscall(name);
    return n + (s === undefined ? 0 : s.count - s.errors);
  }, 0);
  if (accepts === 0) return [];
  const syscall = (ctx.syscall('accept4')?.count ?? 0) >= (ctx.syscall('accept')?.count ?? 0) ? 'accept4' : 'accept';
  return [finding<ListenOverflowFinding>(ctx, { rule: 'listen-overflow', syscall, subject: {}, metrics: { overflows: listen.overflows, drops: listen.drops, accepts }, savingNs: 0 })];
}

// The rule's registry entry.
export const LISTEN_OVERFLOW: FindingRule<ListenOverflowFinding> = { id: 'listen-overflow', generic: false, run: listenOverflow };
