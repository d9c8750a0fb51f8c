// Rule io-uring-punts: reads, writes, sends or receives that io_uring handed
// to io-wq worker threads, because the file or socket could not serve them
// without blocking (buffered writes on some filesystems, files without
// FMODE_NOWAIT, IOSQE_ASYNC): each costs a worker thread's wake-up and
// context switches, and a worker per blocked request.
//
// Fires when at least PUNT_MIN_REQUESTS such requests were punted and they are
// at least PUNT_MIN_SHARE of their opcodes' requests. fsync and the like are
// always punted (they block by nature) and are left to io-uring-fsync-per-write.
//
// Saving: the punted requests' time beyond what the same opcode's requests
// took inline: punted time - punted x (inline time per request), where inline
// requests exist; else PUNT_SAVING_SHARE of the punted time (the hand-off,
// not the I/O itself).
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { ioUringUse } from './io-uring-measure.js';
import { wallShare } from './measure.js';

// Opcodes that can complete without blocking, so a punt is a choice to question.
export const PUNTABLE_OPS = ['read', 'write', 'readv', 'writev', 'read_fixed', 'write_fixed', 'readv_fixed', 'writev_fixed', 'send', 'recv', 'sendmsg', 'recvmsg'] as const;
// At least this many punted requests...
export const PUNT_MIN_REQUESTS = 10;
// ...and this share of their opcodes' requests.
export const PUNT_MIN_SHARE = 0.25;
// The share of a punted request's time assumed to be the hand-off when nothing completed inline.
export const PUNT_SAVING_SHARE = 0.25;
// fds listed in the evidence.
export const PUNT_FDS_SHOWN = 3;

// An io-uring-punts finding: the opcodes punted, and the fds they were on (most time first).
export type IoUringPuntsFinding = Finding<
  'io-uring-punts',
  {
    readonly ops: readonly { readonly op: string; readonly punted: number; readonly count: number }[];
    readonly fds: readonly { readonly pid: number; readonly fd: number; readonly path: string | null; readonly punted: number; readonly totalNs: number }[];
  },
  { readonly punted: number; readonly requests: number; readonly puntedNs: number; readonly wallShare: number | null }
>;

// Requests punted to io-wq.
export function ioUringPunts(ctx: FindingContext): IoUringPuntsFinding[] {
  const use = ioUringUse(ctx);
  if (use === null) return [];
  const ops = use.ops.filter((o) => (PUNTABLE_OPS as readonly string[]).includes(o.op) && o.punted > 0);
  const punted = ops.reduce((n, o) => n + o.punted, 0);
  const requests = ops.reduce((n, o) => n + o.count, 0);
  if (punted < PUNT_MIN_REQUESTS || punted < PUNT_MIN_SHARE * requests) return [];
  const fds = use.profile.processes
    .flatMap((p) => p.puntFds.map((f) => ({ pid: p.tgid, fd: f.fd, path: pathOf(ctx, p.tgid, f.fd), punted: f.punted, totalNs: f.totalNs })))
    .sort((a, b) => b.totalNs - a.totalNs || a.pid - b.pid || a.fd - b.fd);
  // the punted requests of these opcodes; their time per fd is known, the opcodes' only in total
  const puntedNs = fds.reduce((n, f) => n + f.totalNs, 0);
  const inline = ops.reduce((n, o) => n + (o.count - o.punted), 0);
  const inlineNs = Math.max(0, ops.reduce((n, o) => n + o.totalNs, 0) - puntedNs);
  const savingNs = inline > 0 ? Math.max(0, puntedNs - punted * (inlineNs / inline)) : puntedNs * PUNT_SAVING_SHARE;
  return [
    finding<IoUringPuntsFinding>(ctx, {
      rule: 'io-uring-punts',
      syscall: null,
      subject: { ops: ops.map((o) => ({ op: o.op, punted: o.punted, count: o.count })), fds: fds.slice(0, PUNT_FDS_SHOWN) },
      metrics: { punted, requests, puntedNs, wallShare: wallShare(ctx, puntedNs) },
      savingNs,
    }),
  ];
}

// the path of a process's fd, when the capture's per-call facts know it
function pathOf(ctx: FindingContext, pid: number, fd: number): string | null {
  return ctx.facts?.fds.rows.find((r) => r.pid === pid && r.fd === fd)?.path ?? null;
}

// The rule's registry entry.
export const IO_URING_PUNTS: FindingRule<IoUringPuntsFinding> = { id: 'io-uring-punts', generic: false, run: ioUringPunts };
