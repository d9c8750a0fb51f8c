// The words of osync-writes.
import type { OsyncWritesFinding } from '../../../core/analysis/rules/osync-writes.js';
import { formatCount, formatDuration } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// Writes on O_SYNC/O_DSYNC fds.
export function osyncWritesText(f: OsyncWritesFinding): FindingText {
  const { writes, totalNs, wallShare, batch } = f.metrics;
  return {
    title: `${formatCount(writes)} synchronous writes (O_SYNC/O_DSYNC)`,
    evidence: [
      `${formatCount(writes)} writes on fds opened with O_SYNC or O_DSYNC took ${formatDuration(totalNs)}${ofWall(wallShare)}, ${formatDuration(totalNs / writes)} each`,
      ...f.subject.files.map((s) => `${s.path ?? `fd ${s.fd}`}: ${formatCount(s.writes)} writes, ${formatDuration(s.totalNs)}`),
    ],
    why: 'On an O_SYNC/O_DSYNC fd every write returns only once the data is on stable storage, so each small write pays a full device flush.',
    recommendation: [
      `Open without O_SYNC/O_DSYNC, write normally and fdatasync once per batch (${batch} writes per sync saves ${batch - 1} of every ${batch} waits)`,
      'Or gather the data of several writes into one larger synchronous write',
    ],
  };
}
