// Counting the rows a reader skipped (with skipBad), for one stderr line at the end.
import { formatCount } from './count.js';

// How many bad rows were skipped, and the first one.
export interface SkippedRows {
  readonly count: number;
  readonly firstLine: number;
  readonly firstReason: string;
}

// Accumulates skipped rows.
export class BadRows {
  private n = 0;
  private first: { line: number; reason: string } | null = null;

  // Records one skipped row.
  add(line: number, reason: string): void {
    this.n += 1;
    this.first ??= { line, reason };
  }

  // The rows skipped so far, or null when none.
  get skipped(): SkippedRows | null {
    return this.first === null ? null : { count: this.n, firstLine: this.first.line, firstReason: this.first.reason };
  }
}

// "skipped 3 bad rows (first at line 12: duration_ns: expected ...)".
export function describeSkipped(s: SkippedRows): string {
  return `skipped ${formatCount(s.count)} bad row${s.count === 1 ? '' : 's'} (first at line ${s.firstLine}: ${s.firstReason})`;
}
