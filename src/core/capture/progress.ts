// A one-line progress bar on a terminal while a large capture is read.
import { formatCount } from './count.js';

// Where the bar goes: a terminal stream.
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

// Inputs above this size get a bar (when the output is a terminal).
export const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;

// Redraw at most this often.
const REDRAW_MS = 200;

// Draws "[#####.....]  45%  1,234,567 rows  1,100,000 rows/s" and clears it at the end.
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly totalBytes: number,
    private readonly label: string,
  ) {}

  // Whether a bar is wanted: a terminal and a large input.
  static wanted(out: ProgressOutput, totalBytes: number): boolean {
    return out.isTTY === true && totalBytes > PROGRESS_MIN_BYTES;
  }

  // Reports progress; redraws when enough time passed.
  update(bytesDone: number, rows: number): void {
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const fraction = this.totalBytes > 0 ? Math.min(1, bytesDone / this.totalBytes) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? rows / seconds : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatCount(rows)} rows  ${formatCount(rate)} rows/s`;
    const max = (this.out.columns ?? 80) - 1;
    this.out.write(`\r${line.length > max ? line.slice(0, max) : line}\u001b[K`);
    this.drawn = true;
  }

  // Removes the bar.
  clear(): void {
    if (this.drawn) this.out.write('\r\u001b[K');
    this.drawn = false;
  }
}
