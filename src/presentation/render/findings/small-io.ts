// The words of small-writes and small-reads.
import type { SmallIoSubject } from '../../../core/analysis/rules/small-io.js';
import type { SmallReadsFinding } from '../../../core/analysis/rules/small-reads.js';
import type { SmallWritesFinding } from '../../../core/analysis/rules/small-writes.js';
import { formatBytes, formatCalls, formatCount, formatDuration, formatPercent } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// "fd 3 (/var/log/app.log) of pid 100", and " and 2 other fds" when there are.
export function streamName(s: SmallIoSubject): string {
  const what = s.path ?? 'an unknown file';
  return `${s.fd === null ? what : `fd ${s.fd} (${what}) of pid ${s.pid}`}${others(s)}`;
}

// " and N other fds" (nothing for one fd).
function others(s: SmallIoSubject): string {
  return s.otherFds === 0 ? '' : ` and ${formatCount(s.otherFds)} other fd${s.otherFds === 1 ? '' : 's'}`;
}

// The evidence line on time, and the short name of the fd.
function shared(f: SmallReadsFinding | SmallWritesFinding): { took: string; name: string } {
  const m = f.metrics;
  return {
    took: `They took ${formatDuration(m.smallNs)}${ofWall(m.wallShare)}, ${formatDuration(m.smallNs / m.smallCalls)} per call`,
    name: `${f.subject.path ?? `fd ${f.subject.fd}`}${others(f.subject)}`,
  };
}

// Many small writes to one fd: buffer them.
export function smallWritesText(f: SmallWritesFinding): FindingText {
  const m = f.metrics;
  const { took, name } = shared(f);
  return {
    title: `${formatCount(m.smallCalls)} small writes to ${name}`,
    evidence: [
      `${formatCount(m.smallCalls)} of ${formatCount(m.calls)} writes to ${streamName(f.subject)} were under ${formatBytes(m.smallBelowBytes)} (${formatPercent(m.smallShare)}), ${formatBytes(Math.round(m.avgBytes))} on average`,
      took,
      `Buffered in ${formatBytes(m.bufferBytes)} chunks the same ${formatBytes(m.smallBytes)} would take ${formatCalls(m.bufferedCalls)} instead of ${formatCount(m.smallCalls)}`,
    ],
    why: 'Every write is a trip into the kernel with a fixed cost, so many tiny writes spend more time on overhead than on data.',
    recommendation: [
      `Buffer writes in user space (a ${formatBytes(m.bufferBytes)} buffer, stdio setvbuf, BufWriter, BufferedOutputStream) and flush when full`,
      'Gather several buffers per call with writev',
    ],
  };
}

// Many small reads from one fd: read bigger blocks.
export function smallReadsText(f: SmallReadsFinding): FindingText {
  const m = f.metrics;
  const { took, name } = shared(f);
  return {
    title: `${formatCount(m.smallCalls)} small reads from ${name}`,
    evidence: [
      `${formatCount(m.smallCalls)} of ${formatCount(m.calls)} reads from ${streamName(f.subject)} asked for under ${formatBytes(m.smallBelowBytes)} (${formatPercent(m.smallShare)}), ${formatBytes(Math.round(m.avgBytes))} returned on average`,
      took,
      `Read in ${formatBytes(m.bufferBytes)} blocks the same ${formatBytes(m.smallBytes)} would take ${formatCalls(m.bufferedCalls)} instead of ${formatCount(m.smallCalls)}`,
    ],
    why: 'Every read is a trip into the kernel with a fixed cost, so reading a few bytes at a time spends the time on overhead rather than data.',
    recommendation: [
      `Read into a larger buffer (${formatBytes(m.bufferBytes)} or more: stdio setvbuf, BufReader, BufferedInputStream) and parse from it`,
      'For files read front to back, posix_fadvise(POSIX_FADV_SEQUENTIAL) lets the kernel read further ahead',
    ],
  };
}
