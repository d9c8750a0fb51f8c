// Rule sync-dominant: fsync/fdatasync take a large part of the time -> group commit.
//
// Fires when fsync + fdatasync have at least SYNC_MIN_CALLS calls, at least
// SYNC_DOMINANT_SHARE of the non-waiting syscall time and (when the wall time is
// known) at least SYNC_MIN_WALL_SHARE of it. Works from the aggregate alone.
//
// Saving: batching B syncs into one (group commit) leaves 1/B of them, saving
// (1 - 1/B) of the sync time, with B = min(SYNC_BATCH, calls) (a batch of 8 is
// a modest group commit; fewer calls than that cannot be batched further).
import { workingNs } from '../category-times.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { sumOf, wallShare } from './measure.js';

// The syscalls this rule counts.
export const SYNC_SYSCALLS = ['fsync', 'fdatasync'] as const;
// At least this share of the non-waiting syscall time...
export const SYNC_DOMINANT_SHARE = 0.3;
// ...and of the wall time, when known...
export const SYNC_MIN_WALL_SHARE = 0.05;
// ...over at least this many calls.
export const SYNC_MIN_CALLS = 5;
// How many syncs a group commit is assumed to merge.
export const SYNC_BATCH = 8;

const WRITES = ['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2'];

// A sync-dominant finding: the sync syscalls seen (in SYNC_SYSCALLS order).
export type SyncDominantFinding = Finding<
  'sync-dominant',
  { readonly syscalls: readonly string[] },
  {
    readonly calls: number;
    readonly totalNs: number;
    // of the non-waiting syscall time
    readonly share: number;
    readonly wallShare: number | null;
    // write calls (all write syscalls, any fd)
    readonly writes: number;
    // the syncs a group commit is assumed to merge
    readonly batch: number;
  }
>;

// fsync/fdatasync dominate: batch writes per sync.
export function syncDominant(ctx: FindingContext): SyncDominantFinding[] {
  const { calls, totalNs } = sumOf(ctx, SYNC_SYSCALLS);
  const working = workingNs(ctx.categories);
  if (calls < SYNC_MIN_CALLS || working <= 0 || totalNs <= 0) return [];
  const share = totalNs / working;
  if (share < SYNC_DOMINANT_SHARE) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && totalNs / ctx.durationNs < SYNC_MIN_WALL_SHARE) return [];
  const top = SYNC_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined).sort((a, b) => b.totalNs - a.totalNs)[0]!;
  const batch = Math.min(SYNC_BATCH, calls);
  const savingNs = totalNs * (1 - 1 / batch);
  return [
    finding<SyncDominantFinding>(ctx, {
      rule: 'sync-dominant',
      syscall: top.name,
      subject: { syscalls: SYNC_SYSCALLS.filter((n) => ctx.syscall(n) !== undefined) },
      metrics: { calls, totalNs, share, wallShare: wallShare(ctx, totalNs), writes: sumOf(ctx, WRITES).calls, batch },
      savingNs,
    }),
  ];
}

// The rule's registry entry.
export const SYNC_DOMINANT: FindingRule<SyncDominantFinding> = { id: 'sync-dominant', generic: false, run: syncDominant };
