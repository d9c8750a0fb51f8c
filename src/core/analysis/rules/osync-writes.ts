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
import { formatCount, formatDuration } from '../../../presentation/render/units.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';
import { SYNC_BATCH } from './sync-dominant.js';

// At least this many synchronous writes.
export const OSYNC_MIN_WRITES = 10;
// Files listed in the evidence.
export const OSYNC_SHOWN = 3;

// Writes on O_SYNC/O_DSYNC fds.
export function osyncWrites(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  const { syncWrites, syncWriteNs } = ctx.facts;
  if (syncWrites < OSYNC_MIN_WRITES) return [];
  const batch = Math.min(SYNC_BATCH, syncWrites);
  const files = ctx.facts.fds.rows.filter((s) => s.writes.syncOps > 0).sort((a, b) => b.writes.syncNs - a.writes.syncNs);
  const syscall = files[0]?.writes.syscall ?? 'write';
  return [
    finding(ctx, {
      rule: 'osync-writes',
      syscall,
      title: `${formatCount(syncWrites)} synchronous writes (O_SYNC/O_DSYNC)`,
      evidence: [
        `${formatCount(syncWrites)} writes on fds opened with O_SYNC or O_DSYNC took ${formatDuration(syncWriteNs)}${ofWall(ctx, syncWriteNs)}, ${formatDuration(syncWriteNs / syncWrites)} each`,
        ...files.slice(0, OSYNC_SHOWN).map((s) => `${s.path ?? `fd ${s.fd}`}: ${formatCount(s.writes.syncOps)} writes, ${formatDuration(s.writes.syncNs)}`),
      ],
      why: 'On an O_SYNC/O_DSYNC fd every write returns only once the data is on stable storage, so each small write pays a full device flush.',
      recommendation: [
        `Open without O_SYNC/O_DSYNC, write normally and fdatasync once per batch (${batch} writes per sync saves ${batch - 1} of every ${batch} waits)`,
        'Or gather the data of several writes into one larger synchronous write',
      ],
      savingNs: syncWriteNs * (1 - 1 / batch),
    }),
  ];
}
