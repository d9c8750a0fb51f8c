// The words of the io_uring rules.
import type { IoUringCqOverflowFinding } from '../../../core/analysis/rules/io-uring-cq-overflow.js';
import type { IoUringDepthOneFinding } from '../../../core/analysis/rules/io-uring-depth-one.js';
import type { IoUringFsyncPerWriteFinding } from '../../../core/analysis/rules/io-uring-fsync-per-write.js';
import type { IoUringPuntsFinding } from '../../../core/analysis/rules/io-uring-punts.js';
import type { IoUringSmallSubmissionsFinding } from '../../../core/analysis/rules/io-uring-small-submissions.js';
import { formatCount, formatDuration, formatPercent } from '../units.js';
import { ofWall, plural, type FindingText } from './text.js';

// Requests punted to io-wq workers.
export function ioUringPuntsText(f: IoUringPuntsFinding): FindingText {
  const { punted, requests, puntedNs, wallShare } = f.metrics;
  return {
    title: `${formatCount(punted)} io_uring requests punted to io-wq worker threads`,
    evidence: [
      `${formatCount(punted)} of ${formatCount(requests)} ${f.subject.ops.map((o) => o.op).join('/')} requests (${formatPercent(punted / requests)}) could not complete without blocking and went to a worker thread; they took ${formatDuration(puntedNs)}${ofWall(wallShare)}`,
      ...f.subject.fds.map((x) => `${x.path ?? `fd ${x.fd}`} (pid ${x.pid}): ${formatCount(x.punted)} punted request${plural(x.punted)}, ${formatDuration(x.totalNs)}`),
    ],
    why: 'A punted request is handed to an io-wq kernel thread: a wake-up and context switches per request, and a blocked worker for each one in flight, instead of completing inline or from the device interrupt.',
    recommendation: [
      'Buffered writes are punted on filesystems without async buffered-write support: use O_DIRECT (aligned buffers), or a filesystem and kernel that support it (XFS, ext4 and btrfs on recent kernels)',
      'Do not set IOSQE_ASYNC on requests that can complete inline',
      'Sockets and pipes should be non-blocking capable (they are); regular files on network or FUSE filesystems are always punted',
    ],
  };
}

// One request submitted and waited for at a time.
export function ioUringDepthOneText(f: IoUringDepthOneFinding): FindingText {
  const { requests, enters, waits, entersNs, perEnter, wallShare, batch } = f.metrics;
  return {
    title: 'io_uring used synchronously: one request submitted, then waited for (queue depth ~1)',
    evidence: [
      `${formatCount(requests)} requests through ${formatCount(enters)} io_uring_enter calls (${perEnter.toFixed(1)} per call), ${formatCount(waits)} waits for completions`,
      `io_uring_enter took ${formatDuration(entersNs)}${ofWall(wallShare)}`,
    ],
    why: 'io_uring pays off when several requests are in flight: one at a time it is a synchronous read/write with extra steps, and the device never works on two requests at once.',
    recommendation: [
      `Keep ${batch} or more requests in flight: queue several SQEs, submit them with one io_uring_submit(), reap completions as they come`,
      'Or, if the requests depend on each other, chain them with IOSQE_IO_LINK and submit the chain at once',
    ],
  };
}

// Few requests per io_uring_enter.
export function ioUringSmallSubmissionsText(f: IoUringSmallSubmissionsFinding): FindingText {
  const { requests, enters, entersNs, perEnter, wallShare, batch } = f.metrics;
  return {
    title: `Many small io_uring submissions: ${perEnter.toFixed(1)} requests per io_uring_enter`,
    evidence: [`${formatCount(requests)} requests through ${formatCount(enters)} io_uring_enter calls, which took ${formatDuration(entersNs)}${ofWall(wallShare)}`],
    why: 'Every io_uring_enter is a trip into the kernel; a ring exists to batch many requests per trip.',
    recommendation: [
      `Queue SQEs and submit them together (${batch} or more per io_uring_submit), or submit and wait in one call (io_uring_submit_and_wait)`,
      'With a steady stream of requests, an SQPOLL ring (IORING_SETUP_SQPOLL) submits without any syscall',
    ],
  };
}

// An fsync per write or two.
export function ioUringFsyncPerWriteText(f: IoUringFsyncPerWriteFinding): FindingText {
  const { fsyncs, writes, fsyncNs, wallShare, batch } = f.metrics;
  return {
    title: `An io_uring fsync per write: ${formatCount(fsyncs)} fsyncs for ${formatCount(writes)} writes`,
    evidence: [`${formatCount(fsyncs)} fsync requests took ${formatDuration(fsyncNs)}${ofWall(wallShare)}, ${formatDuration(fsyncNs / fsyncs)} each`],
    why: 'Each fsync waits for the device to make the data durable, and io_uring always hands it to a worker thread: syncing every write pays that for each one.',
    recommendation: [
      `Sync once per batch of writes: link the batch's writes to one fsync with IOSQE_IO_LINK (${batch} writes per fsync saves ${batch - 1} of every ${batch} syncs)`,
      'Use IORING_FSYNC_DATASYNC (fdatasync) when the file size and times need not be durable',
    ],
  };
}

// Completions that overflowed the CQ ring.
export function ioUringCqOverflowText(f: IoUringCqOverflowFinding): FindingText {
  const { overflows, requests } = f.metrics;
  return {
    title: `${formatCount(overflows)} io_uring completions overflowed the CQ ring`,
    evidence: [
      `${formatCount(overflows)} completions of ${formatCount(requests)} requests found the completion queue full`,
      ...f.subject.processes.map((p) => `${p.comm || '?'} (pid ${p.pid}): ${formatCount(p.overflows)}`),
    ],
    why: 'The kernel keeps overflowed completions on a list in kernel memory until the ring has room (or drops them on kernels without IORING_FEAT_NODROP); reaping them is slower and the program sees them late.',
    recommendation: [
      'Reap completions more often, before submitting more requests than the CQ ring holds',
      'Make the CQ ring bigger (IORING_SETUP_CQSIZE with a larger cq_entries)',
    ],
  };
}
