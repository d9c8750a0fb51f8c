// The stderr summary of `trace --output`: rows, lost records (never silent), file and size.
import { MAX_RINGBUF_MB } from '../core/backends/ebpf/request.js';
import { formatBytes, formatCount } from '../presentation/render/units.js';
import { ioUringCsvPathOf } from '../core/capture/uring-csv.js';
import { stackHealthText } from '../presentation/render/stack-words.js';
import type { CaptureResult } from './trace-capture.js';

// The summary lines (each ending in a newline).
export function captureSummary(r: CaptureResult): string {
  const lines = [`wrote ${formatCount(r.rows)} row${r.rows === 1 ? '' : 's'} to ${r.path} (${r.format}, ${formatBytes(r.bytes)}); ${formatCount(r.lostEvents)} records lost`];
  const requests = r.ioUringRequests;
  if (requests > 0 && r.format === 'parquet') {
    lines.push(`warning: ${formatCount(requests)} io_uring requests were not written: Parquet captures do not carry per-request records yet (spb, CSV and JSON lines do)`);
  } else if (requests > 0) {
    lines.push(`and ${formatCount(requests)} io_uring request${requests === 1 ? '' : 's'}${r.format === 'csv' ? ` to ${ioUringCsvPathOf(r.path)}` : ''}`);
  }
  if (r.lostEvents > 0) {
    const bigger = Math.min(MAX_RINGBUF_MB, r.ringbufMb * 4);
    const raise =
      r.ringbufMb < MAX_RINGBUF_MB
        ? `raise the ring buffer with --ringbuf-mb ${bigger} (now ${r.ringbufMb})`
        : `the ring buffer is at its maximum (${MAX_RINGBUF_MB} MiB)`;
    lines.push(
      `warning: ${formatCount(r.lostEvents)} calls were not recorded: the kernel's ring buffer was full. To keep them, ${raise}, or record fewer calls with --syscalls, --min-duration or --failed`,
    );
  }
  // --stacks: what happened to the slow calls (never silent either)
  const stacks = r.profile.stacks ?? null;
  if (stacks != null) lines.push(stackHealthText(stacks.health));
  return lines.map((l) => `${l}\n`).join('');
}
