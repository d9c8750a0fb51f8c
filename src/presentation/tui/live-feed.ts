// The live view's data service: takes the backend's cumulative snapshots (and
// event batches in event mode), turns each into an interval frame, keeps the
// recent rates, and tells subscribers. No rendering here.
import type { CgroupInfo } from '../../core/system/cgroup.js';
import type { EventBatch } from '../../core/model/events.js';
import type { Profile } from '../../core/model/profile.js';
import { AnomalyDetector } from '../../core/analysis/anomaly-detector.js';
import type { AnomalyOptions } from '../../core/analysis/anomaly.js';
import { EventWindow } from './model/event-window.js';
import { RateHistory } from './model/history.js';
import { buildFrame, type LiveFrame } from './model/interval.js';
import { VIEWS, viewRows, type ViewName } from './model/view-rows.js';

// What subscribers hear: a new frame, or the end of the session.
export type FeedListener = (frame: LiveFrame | null, ended: boolean) => void;

// The history key of a row in a view (views share key spaces: "read" the syscall, "read" a file).
export function historyKey(view: ViewName, key: string): string {
  return `${view}\u0000${key}`;
}

// Snapshots in, frames out.
export class LiveFeed {
  readonly history = new RateHistory();
  private prev: Profile | null = null;
  private seq = 0;
  private current: LiveFrame | null = null;
  private done = false;
  private readonly listeners = new Set<FeedListener>();
  private readonly events: EventWindow | null;
  private readonly detector: AnomalyDetector | null;

  // cgroup: what the --cgroup target's path says, carried by every frame;
  // anomalies: the detector's options, null: no detection
  constructor(
    withEvents = false,
    private readonly cgroup: CgroupInfo | null = null,
    anomalies: AnomalyOptions | null = null,
  ) {
    this.events = withEvents ? new EventWindow() : null;
    this.detector = anomalies === null ? null : new AnomalyDetector(anomalies);
  }

  // The latest frame (null before the first snapshot).
  get frame(): LiveFrame | null {
    return this.current;
  }

  // Whether the session is over.
  get ended(): boolean {
    return this.done;
  }

  // Adds the per-call records of an event batch to the current interval.
  pushEvents(batch: EventBatch): void {
    this.events?.add(batch);
  }

  // Takes one cumulative snapshot; returns the interval frame it completes.
  pushSnapshot(profile: Profile): LiveFrame {
    this.seq += 1;
    const intervalNs = Math.max(0, profile.durationNs - (this.prev?.durationNs ?? 0));
    const base = { ...buildFrame(this.prev, profile, this.seq), cgroup: this.cgroup, ...this.anomaliesAt(profile) };
    const frame = this.events === null ? base : { ...base, ...this.events.take(intervalNs, base.tracedNs, base.tracedNs - base.waitNs) };
    this.prev = profile;
    this.current = frame;
    const rates: Array<[string, number]> = [];
    for (const view of VIEWS) for (const r of viewRows(frame, view) ?? []) rates.push([historyKey(view, r.key), r.callsPerSec]);
    this.history.push(rates);
    for (const l of this.listeners) l(frame, false);
    return frame;
  }

  // The detector's view after this snapshot.
  private anomaliesAt(profile: Profile): Pick<LiveFrame, 'anomalies'> {
    if (this.detector === null) return {};
    this.detector.update(profile);
    return { anomalies: { active: this.detector.active(), atMs: profile.startedAt.getTime() + profile.durationNs / 1e6 } };
  }

  // Marks the session over (the loader stopped).
  end(): void {
    this.done = true;
    for (const l of this.listeners) l(this.current, true);
  }

  // Calls `listener` on every new frame and at the end; returns the unsubscribe.
  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
