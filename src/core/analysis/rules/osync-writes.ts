// Rule osync-writes: writes on fds opened O_SYNC or O_DSYNC: every write waits
// for the disk.
//
// Fires when at least OSYNC_MIN_WRITES writes went to O_SYNC/O_DSYNC fds (open
// flags followed from open/openat and dup, see facts/fd-flags.ts). Needs
// per-call facts.
//
// Saving: writing normally and syncing once per B writes (group commit, as in
// sync-dominant) leaves 1/B of the synchronous waits: syncWriteTime * (1 - 1/B),
// B = min(SYNC_BATCH, writes).
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';
import { SYNC_BATCH } from './sync-dominant.js';

// At least this many synchronous writes.
export const OSYNC_MIN_WRITES = 10;
// Files listed in the evidence.
export const OSYNC_SHOWN = 3;

// An osync-writes finding: the files written synchronously (most time first, at most OSYNC_SHOWN).
export type OsyncWritesFinding = Finding<
  'osync-writes',
  { readonly files: readonly { readonly path: string | null; readonly fd: number | null; readonly writes: number; readonly totalNs: number }[] },
  {
    readonly writes: number;
    readonly totalNs: number;
    readonly wallShare: number | null;
    // the writes per sync the saving assumes
    readonly batch: number;
  }
>;

// Writes on O_SYNC/O_DSYNC fds.
export function osyncWrites(ctx: FindingContext): OsyncWritesFinding[] {
  if (ctx.facts === null) return [];
  const { syncWrites, syncWriteNs } = ctx.facts;
  if (syncWrites < OSYNC_MIN_WRITES) return [];
  const batch = Math.min(SYNC_BATCH, syncWrites);
  const files = ctx.facts.fds.rows.filter((s) => s.writes.syncOps > 0).sort((a, b) => b.writes.syncNs - a.writes.syncNs);
  const syscall = files[0]?.writes.syscall ?? 'write';
  return [
    finding<OsyncWritesFinding>(ctx, {
      rule: 'osync-writes',
      syscall,
      subject: { files: files.slice(0, OSYNC_SHOWN).map((s) => ({ path: s.path, fd: s.fd, writes: s.writes.syncOps, totalNs: s.writes.syncNs })) },
      metrics: { writes: syncWrites, totalNs: syncWriteNs, wallShare: wallShare(ctx, syncWriteNs), batch },
      savingNs: syncWriteNs * (1 - 1 / batch),
    }),
  ];
}

// The rule's registry entry.
export const OSYNC_WRITES: FindingRule<OsyncWritesFinding> = { id: 'osync-writes', generic: false, run: osyncWrites };
