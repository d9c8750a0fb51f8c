// One summary row per io_uring opcode: counts, latency percentiles, punts, bytes.
import type { IoUringOpStats } from '../model/io-uring.js';

// An opcode's summary; latency fields are null when it has no requests.
export interface IoUringRow {
  readonly op: string;
  readonly opcode: number;
  readonly count: number;
  readonly errors: number;
  // failed requests by errno, most first
  readonly errnos: readonly { readonly errno: number; readonly count: number }[];
  readonly totalNs: number;
  readonly avgNs: number | null;
  readonly p50Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number | null;
  readonly punted: number;
  // punted / count; null when there are no requests
  readonly puntRate: number | null;
  readonly bytes: number;
}

// The row of one opcode.
export function ioUringRow(s: IoUringOpStats): IoUringRow {
  const empty = s.count === 0;
  return {
    op: s.op,
    opcode: s.opcode,
    count: s.count,
    errors: s.errors,
    errnos: s.errnos,
    totalNs: s.totalNs,
    avgNs: empty ? null : s.totalNs / s.count,
    p50Ns: empty ? null : s.histogram.percentile(0.5, s.maxNs),
    p99Ns: empty ? null : s.histogram.percentile(0.99, s.maxNs),
    maxNs: empty ? null : s.maxNs,
    punted: s.punted,
    puntRate: empty ? null : s.punted / s.count,
    bytes: s.bytes,
  };
}

// Rows by total time, then count (both descending), then opcode; opcodes without requests left out.
export function ioUringRows(stats: readonly IoUringOpStats[]): IoUringRow[] {
  return stats
    .filter((s) => s.count > 0)
    .map(ioUringRow)
    .sort((a, b) => b.totalNs - a.totalNs || b.count - a.count || a.opcode - b.opcode);
}
