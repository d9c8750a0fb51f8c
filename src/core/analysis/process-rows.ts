// One summary row per traced process, sorted by the time it spent in syscalls.
import type { ProcessStats } from '../model/profile.js';

// A process's summary.
export interface ProcessRow {
  readonly tgid: number;
  readonly comm: string;
  readonly calls: number;
  readonly errors: number;
  readonly totalNs: number;
}

// Rows by total time, then calls (both descending), then tgid.
export function processRows(processes: readonly ProcessStats[]): ProcessRow[] {
  return processes
    .map((p) => ({
      tgid: p.tgid,
      comm: p.comm,
      calls: p.syscalls.reduce((n, s) => n + s.count, 0),
      errors: p.syscalls.reduce((n, s) => n + s.errors, 0),
      totalNs: p.syscalls.reduce((n, s) => n + s.totalNs, 0),
    }))
    .sort((a, b) => b.totalNs - a.totalNs || b.calls - a.calls || a.tgid - b.tgid);
}
