// Recent call rates per row key, for the sparklines: the last HISTORY_LENGTH intervals.

// How many intervals a sparkline shows.
export const HISTORY_LENGTH = 30;

// Rates per key, oldest first; keys missing from an interval get 0.
export class RateHistory {
  private readonly series = new Map<string, number[]>();
  private intervals = 0;

  constructor(private readonly length: number = HISTORY_LENGTH) {}

  // Records one interval's rates (key -> calls/s).
  push(rates: Iterable<readonly [string, number]>): void {
    this.intervals += 1;
    const seen = new Set<string>();
    for (const [key, rate] of rates) {
      seen.add(key);
      let s = this.series.get(key);
      if (s === undefined) {
        s = [];
        this.series.set(key, s);
      }
      s.push(rate);
      if (s.length > this.length) s.shift();
    }
    for (const [key, s] of this.series) {
      if (seen.has(key)) continue;
      s.push(0);
      if (s.length > this.length) s.shift();
      // nothing for a whole window: forget it (bounded memory with churning pids)
      if (s.every((v) => v === 0)) this.series.delete(key);
    }
  }

  // The recent rates of a key, oldest first ([] when unknown).
  of(key: string): readonly number[] {
    return this.series.get(key) ?? [];
  }

  // How many keys are remembered.
  get size(): number {
    return this.series.size;
  }
}
