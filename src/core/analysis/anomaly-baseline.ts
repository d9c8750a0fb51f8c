// A robust baseline of one number per observation: the median and the median
// absolute deviation of the first `warmup` observations, then an EWMA of the
// value and of its absolute deviation, each observation clipped to `band`
// deviations of the baseline so that one outlier moves it only a little.

// The baseline of one signal (a log latency, a log rate, an error share).
export class RobustBaseline {
  private warm: number[] = [];
  private m = 0;
  private d = 0;

  constructor(
    private readonly warmup: number,
    private readonly alpha: number,
    private readonly band: number,
    // the deviation never falls below this (a perfectly steady series would flag any wobble)
    private readonly minDev: number,
  ) {}

  // Whether the warm-up is over (before, nothing may be judged against it).
  get ready(): boolean {
    return this.warm.length === 0 && this.d > 0;
  }

  // The baseline value; 0 before the warm-up ends.
  get mean(): number {
    return this.m;
  }

  // The mean absolute deviation around it; 0 before the warm-up ends.
  get dev(): number {
    return this.d;
  }

  // Learns one normal observation.
  learn(x: number): void {
    if (!Number.isFinite(x)) return;
    if (!this.ready) {
      this.warm.push(x);
      if (this.warm.length < this.warmup) return;
      this.m = median(this.warm);
      this.d = Math.max(this.minDev, median(this.warm.map((v) => Math.abs(v - this.m))));
      this.warm = [];
      return;
    }
    const lim = this.band * this.d;
    const dx = Math.min(lim, Math.max(-lim, x - this.m));
    this.m += this.alpha * dx;
    this.d = Math.max(this.minDev, this.d + this.alpha * (Math.abs(dx) - this.d));
  }
}

// The median of a non-empty list.
function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
