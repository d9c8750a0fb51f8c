// The anomaly detector: snapshots in, anomalies starting and ending out.
// Per series and kind, a robust baseline (anomaly-baseline.ts) learns from
// normal observations only; `sustain` deviating observations in a row start an
// anomaly, `sustain` normal ones in a row end it, and the baseline does not
// learn while a deviation is pending or active, so it cannot chase a step.
import type { Profile } from '../model/profile.js';
import { anomalyId, DEFAULT_ANOMALY_OPTIONS, type Anomaly, type AnomalyChange, type AnomalyKind, type AnomalyOptions, type AnomalySeries } from './anomaly.js';
import { RobustBaseline } from './anomaly-baseline.js';
import { AnomalyIntervals, type ErrnoObservation, type SeriesObservation } from './anomaly-intervals.js';

// Smallest deviations the baselines keep: 5% for a log value, half a point for an error share.
const MIN_LOG_DEV = Math.log(1.05);
const MIN_SHARE_DEV = 0.005;
// errors: how many binomial standard deviations above the baseline share
const ERROR_Z = 3;
// rate: the smallest rate a log is taken of, calls/s (a series that went quiet)
const MIN_RATE = 1e-3;

// The verdict on one observation of one signal.
interface Judgement {
  readonly deviates: boolean;
  readonly observed: number;
  readonly baseline: number;
}

// Streaks and the active anomaly of one signal.
class Episode {
  private streak = 0;
  private firstMs = 0;
  private normal = 0;
  active: Anomaly | null = null;

  // Whether the baseline may learn from this observation (neither pending nor active).
  get quiet(): boolean {
    return this.active === null && this.streak === 0;
  }

  // Moves the episode on by one observation; returns the change it makes, if any.
  step(j: Judgement, id: string, kind: AnomalyKind, series: AnomalySeries, errno: number | null, atMs: number, sustain: number): AnomalyChange | null {
    const a = this.active;
    if (a === null) {
      if (!j.deviates) {
        this.streak = 0;
        return null;
      }
      if (this.streak++ === 0) this.firstMs = atMs;
      if (this.streak < sustain) return null;
      this.streak = 0;
      this.normal = 0;
      this.active = { id, kind, series, errno, baseline: j.baseline, observed: j.observed, peak: j.observed, sinceMs: this.firstMs, observations: sustain };
      return { type: 'start', anomaly: this.active, atMs, reason: null };
    }
    if (j.deviates) {
      this.normal = 0;
      const further = kind === 'rate' && j.observed < a.baseline ? Math.min(a.peak, j.observed) : Math.max(a.peak, j.observed);
      this.active = { ...a, observed: j.observed, peak: further, observations: a.observations + 1 };
      return null;
    }
    if (++this.normal < sustain) return null;
    return this.end(atMs, 'normal');
  }

  // Ends the active anomaly.
  end(atMs: number, reason: 'normal' | 'gone'): AnomalyChange | null {
    const a = this.active;
    this.active = null;
    this.streak = 0;
    this.normal = 0;
    return a === null ? null : { type: 'end', anomaly: a, atMs, reason };
  }
}

interface SeriesState {
  readonly p99: { readonly base: RobustBaseline; readonly ep: Episode };
  readonly errors: { readonly base: RobustBaseline; readonly ep: Episode };
  readonly rate: { readonly base: RobustBaseline; readonly ep: Episode };
}

interface ErrnoState {
  // observations of the syscall so far (the first `warmup` only learn)
  seen: number;
  readonly known: Set<number>;
  readonly episodes: Map<number, Episode>;
}

// Follows the snapshots of a trace and reports anomalies as they start and end.
export class AnomalyDetector {
  readonly options: AnomalyOptions;
  private readonly intervals: AnomalyIntervals;
  private readonly states = new Map<string, SeriesState>();
  private readonly errnoStates = new Map<string, ErrnoState>();
  private readonly wants: ReadonlySet<AnomalyKind>;

  constructor(options: Partial<AnomalyOptions> = {}) {
    this.options = { ...DEFAULT_ANOMALY_OPTIONS, ...options };
    this.intervals = new AnomalyIntervals(this.options.by, this.options.minCalls, this.options.maxSpan);
    this.wants = new Set(this.options.kinds);
  }

  // Series with a baseline (for tests of bounded memory).
  get trackedSeries(): number {
    return this.states.size;
  }

  // Takes the next cumulative snapshot; returns the anomalies it starts and ends.
  update(profile: Profile): AnomalyChange[] {
    const obs = this.intervals.next(profile);
    const changes: AnomalyChange[] = [];
    const push = (c: AnomalyChange | null): void => void (c !== null && changes.push(c));
    for (const key of obs.gone) {
      const st = this.states.get(key);
      this.states.delete(key);
      if (st !== undefined) for (const sig of [st.p99, st.errors, st.rate]) push(sig.ep.end(obs.atMs, 'gone'));
    }
    for (const o of obs.series) this.observeSeries(o, obs.atMs, push);
    if (this.wants.has('errno')) for (const o of obs.errnos) this.observeErrnos(o, obs.atMs, push);
    return changes;
  }

  // The anomalies active now, oldest first.
  active(): Anomaly[] {
    const out: Anomaly[] = [];
    for (const st of this.states.values()) for (const sig of [st.p99, st.errors, st.rate]) if (sig.ep.active !== null) out.push(sig.ep.active);
    for (const st of this.errnoStates.values()) for (const ep of st.episodes.values()) if (ep.active !== null) out.push(ep.active);
    return out.sort((a, b) => a.sinceMs - b.sinceMs || a.id.localeCompare(b.id));
  }

  private stateOf(key: string): SeriesState {
    let st = this.states.get(key);
    if (st === undefined) {
      const { warmup, alpha, band } = this.options;
      const signal = (minDev: number): { base: RobustBaseline; ep: Episode } => ({ base: new RobustBaseline(warmup, alpha, band, minDev), ep: new Episode() });
      st = { p99: signal(MIN_LOG_DEV), errors: signal(MIN_SHARE_DEV), rate: signal(MIN_LOG_DEV) };
      this.states.set(key, st);
    }
    return st;
  }

  private observeSeries(o: SeriesObservation, atMs: number, push: (c: AnomalyChange | null) => void): void {
    const st = this.stateOf(o.key);
    const { factor, rateFactor, band, sustain, minCalls, minErrorRise } = this.options;
    const judge = (kind: AnomalyKind, sig: { base: RobustBaseline; ep: Episode }, x: number, j: (b: RobustBaseline) => Judgement): void => {
      if (!this.wants.has(kind)) return;
      const verdict = sig.base.ready ? j(sig.base) : null;
      if (verdict === null || !verdict.deviates) {
        if (sig.ep.quiet) sig.base.learn(x);
      }
      if (verdict !== null) push(sig.ep.step(verdict, anomalyId(o.series, kind), kind, o.series, null, atMs, sustain));
    };
    if (o.p99Ns !== null && o.p99Ns > 0) {
      const x = Math.log(o.p99Ns);
      judge('p99', st.p99, x, (b) => ({
        deviates: x - b.mean > Math.max(Math.log(factor), band * b.dev),
        observed: o.p99Ns!,
        baseline: Math.exp(b.mean),
      }));
    }
    if (o.calls >= minCalls) {
      const share = o.errors / o.calls;
      judge('errors', st.errors, share, (b) => {
        const p0 = Math.max(0, b.mean);
        const p = Math.min(1 - 1 / o.calls, Math.max(p0, 1 / o.calls));
        const z = (o.errors - o.calls * p0) / Math.sqrt(o.calls * p * (1 - p));
        return { deviates: share - p0 >= minErrorRise && share >= factor * p0 && z >= ERROR_Z, observed: share, baseline: p0 };
      });
    }
    if (o.spanMs > 0) {
      const rate = o.calls / (o.spanMs / 1000);
      const x = Math.log(Math.max(MIN_RATE, rate));
      judge('rate', st.rate, x, (b) => ({
        deviates: Math.abs(x - b.mean) > Math.max(Math.log(rateFactor), band * b.dev),
        observed: rate,
        baseline: Math.exp(b.mean),
      }));
    }
  }

  // A new errno: one the syscall's first `warmup` observations (and any episode since) did not have.
  private observeErrnos(o: ErrnoObservation, atMs: number, push: (c: AnomalyChange | null) => void): void {
    let st = this.errnoStates.get(o.syscall);
    if (st === undefined) {
      st = { seen: 0, known: new Set(), episodes: new Map() };
      this.errnoStates.set(o.syscall, st);
    }
    if (st.seen++ < this.options.warmup) {
      for (const errno of o.errnos.keys()) st.known.add(errno);
      return;
    }
    const series: AnomalySeries = { syscall: o.syscall, tgid: null, comm: null };
    const errnos = new Set([...o.errnos.keys(), ...st.episodes.keys()]);
    for (const errno of errnos) {
      if (st.known.has(errno)) continue;
      let ep = st.episodes.get(errno);
      if (ep === undefined) {
        ep = new Episode();
        st.episodes.set(errno, ep);
      }
      const count = o.errnos.get(errno) ?? 0;
      const change = ep.step({ deviates: count > 0, observed: count, baseline: 0 }, anomalyId(series, 'errno', errno), 'errno', series, errno, atMs, this.options.sustain);
      push(change);
      // an errno that came and went is known from then on; one that never became an anomaly is forgotten
      if (change?.type === 'end') st.known.add(errno);
      if (ep.quiet) st.episodes.delete(errno);
    }
  }
}
