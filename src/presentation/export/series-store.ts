// The exported syscall series: one cumulative Folded per label set, at most
// --max-series of them; label sets beyond the cap go into one `other` series.
import { addInto, emptyFolded, type Folded } from './folded.js';
import { OTHER, type LabelName } from './labels.js';

// One exported label set and its cumulative counts.
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: Folded;
}

// Where a label set's counts go: its own series, or `other` (folded).
export interface Resolved {
  readonly key: string;
  readonly folded: boolean;
}

const SEP = '\u0000';

// Cumulative series by label set, with a hard cap on how many.
export class SeriesStore {
  private readonly byKey = new Map<string, Series>();
  private readonly otherKey: string;

  constructor(
    readonly labelNames: readonly LabelName[],
    readonly maxSeries: number,
  ) {
    if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new RangeError(`max series ${maxSeries} is not a positive integer`);
    this.otherKey = labelNames.map(() => OTHER).join(SEP);
  }

  // The series a label set (values in labelNames order) goes to; creates it while under the cap.
  resolve(values: readonly string[]): Resolved {
    const key = values.join(SEP);
    if (this.byKey.has(key)) return { key, folded: false };
    if (this.ownSeries() < this.maxSeries && key !== this.otherKey) {
      this.byKey.set(key, { labels: this.labelsOf(values), values: emptyFolded() });
      return { key, folded: false };
    }
    if (!this.byKey.has(this.otherKey)) {
      this.byKey.set(this.otherKey, { labels: this.labelsOf(this.labelNames.map(() => OTHER)), values: emptyFolded() });
    }
    return { key: this.otherKey, folded: key !== this.otherKey };
  }

  // Adds a delta to a resolved series.
  add(key: string, delta: Folded): void {
    const series = this.byKey.get(key);
    if (series === undefined) throw new RangeError('add to a series that was not resolved');
    addInto(series.values, delta);
  }

  // Every series, in a stable order (label values, `other` last).
  series(): Series[] {
    return [...this.byKey]
      .sort(([a], [b]) => (a === this.otherKey ? 1 : b === this.otherKey ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map(([, s]) => s);
  }

  // Number of series (the `other` one included).
  get size(): number {
    return this.byKey.size;
  }

  private ownSeries(): number {
    return this.byKey.size - (this.byKey.has(this.otherKey) ? 1 : 0);
  }

  private labelsOf(values: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    this.labelNames.forEach((name, i) => (out[name] = values[i]!));
    return out;
  }
}
