// The words of reopen-same-file.
import type { ReopenSameFileFinding } from '../../../core/analysis/rules/reopen-same-file.js';
import { formatCount, formatDuration } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// Repeated open/close of one file.
export function reopenSameFileText(f: ReopenSameFileFinding): FindingText {
  const m = f.metrics;
  const others = f.subject.otherPaths === 0 ? '' : ` and ${formatCount(f.subject.otherPaths)} other file${f.subject.otherPaths === 1 ? '' : 's'}`;
  return {
    title: `${f.subject.path}${others} opened ${formatCount(m.opens)} times`,
    evidence: [
      `${formatCount(m.opens)} successful opens and ${formatCount(m.closes)} closes of ${f.subject.path}${others}${m.processes > 1 ? `, by ${formatCount(m.processes)} processes` : ''}; ${formatCount(m.reopens)} of the opens were by a process that had opened it before`,
      `An open and close took ${formatDuration(m.cycleNs)} together; all of them ${formatDuration(m.totalNs)}${ofWall(m.wallShare)}`,
    ],
    why: 'Every open resolves the path, checks permissions and allocates a file description, work that a file kept open does once.',
    recommendation: ['Open the file once and keep the descriptor (use pread/pwrite at offsets, or lseek)', 'If the file is replaced by others, watch it with inotify rather than reopening it to check'],
  };
}
