// Rule sync-dominant: fsync/fdatasync take a large part of the time -> group commit.
//
// Fires when fsync + fdatasync have at least SYNC_MIN_CALLS calls, at least
// SYNC_DOMINANT_SHARE of the non-waiting syscall time and (when the wall time is
// known) at least SYNC_MIN_WALL_SHARE of it. Works from the aggregate alone.
//
// Saving: batching B syncs into one (group commit) leaves 1/B of them, saving
// (1 - 1/B) of the sync time, with B = min(SYNC_BATCH, calls) (a batch of 8 is
// a modest group commit; fewer calls than that cannot be batched further).
import { formatCount, formatDuration, formatPercent } from '../../../presentation/render/units.js';
import { workingNs } from '../category-times.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall, sumOf } from './measure.js';

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

// fsync/fdatasync dominate: batch writes per sync.
export function syncDominant(ctx: FindingContext): Finding[] {
  const { calls, totalNs } = sumOf(ctx, SYNC_SYSCALLS);
  const working = workingNs(ctx.categories);
  if (calls < SYNC_MIN_CALLS || working <= 0 || totalNs <= 0) return [];
  const share = totalNs / working;
  if (share < SYNC_DOMINANT_SHARE) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && totalNs / ctx.durationNs < SYNC_MIN_WALL_SHARE) return [];
  const top = SYNC_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined).sort((a, b) => b.totalNs - a.totalNs)[0]!;
  const batch = Math.min(SYNC_BATCH, calls);
  const savingNs = totalNs * (1 - 1 / batch);
  const writes = sumOf(ctx, WRITES).calls;
  const evidence = [
    `${formatCount(calls)} ${SYNC_SYSCALLS.filter((n) => ctx.syscall(n) !== undefined).join('/')} calls took ${formatDuration(totalNs)}: ${formatPercent(share)} of non-waiting syscall time${ofWall(ctx, totalNs)}`,
    `${formatDuration(totalNs / calls)} per call on average`,
  ];
  if (writes > 0) evidence.push(`${(writes / calls).toFixed(1)} writes per sync (${formatCount(writes)} writes)`);
  evidence.push(`Batching ${batch} syncs into one would save about ${formatDuration(savingNs)} (${batch - 1} of every ${batch} syncs)`);
  const recommendation = [
    'Group commit: collect several writes (or transactions) and make them durable with one fsync',
    'Move syncing off the request path (a background flusher), if the durability contract allows it',
  ];
  if (ctx.syscall('fsync') !== undefined) recommendation.push('Use fdatasync instead of fsync when file metadata (mtime) need not be durable');
  return [
    finding(ctx, {
      rule: 'sync-dominant',
      syscall: top.name,
      title: `${top.name}() dominates: ${formatPercent(share)} of non-waiting syscall time`,
      evidence,
      why: 'Each sync waits for the storage device to make data durable, and the caller can do nothing else meanwhile.',
      recommendation,
      savingNs,
    }),
  ];
}
