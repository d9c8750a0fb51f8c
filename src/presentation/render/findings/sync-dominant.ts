// The words of sync-dominant.
import type { SyncDominantFinding } from '../../../core/analysis/rules/sync-dominant.js';
import { formatCount, formatDuration, formatPercent } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// fsync/fdatasync dominate: batch writes per sync.
export function syncDominantText(f: SyncDominantFinding): FindingText {
  const { calls, totalNs, share, wallShare, writes, batch } = f.metrics;
  const evidence = [
    `${formatCount(calls)} ${f.subject.syscalls.join('/')} calls took ${formatDuration(totalNs)}: ${formatPercent(share)} of non-waiting syscall time${ofWall(wallShare)}`,
    `${formatDuration(totalNs / calls)} per call on average`,
  ];
  if (writes > 0) evidence.push(`${(writes / calls).toFixed(1)} writes per sync (${formatCount(writes)} writes)`);
  evidence.push(`Batching ${batch} syncs into one would save about ${formatDuration(f.savingNs)} (${batch - 1} of every ${batch} syncs)`);
  const recommendation = [
    'Group commit: collect several writes (or transactions) and make them durable with one fsync',
    'Move syncing off the request path (a background flusher), if the durability contract allows it',
  ];
  if (f.subject.syscalls.includes('fsync')) recommendation.push('Use fdatasync instead of fsync when file metadata (mtime) need not be durable');
  return {
    title: `${f.syscall}() dominates: ${formatPercent(share)} of non-waiting syscall time`,
    evidence,
    why: 'Each sync waits for the storage device to make data durable, and the caller can do nothing else meanwhile.',
    recommendation,
  };
}
