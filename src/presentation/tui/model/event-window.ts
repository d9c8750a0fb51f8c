// Per-thread and per-file totals of the per-call events of one interval (event
// mode): fed with each event batch, emptied at each snapshot.
import { LatencyHistogram } from '../../../core/model/histogram.js';
import { standardLayout } from '../../../core/model/histogram-layout.js';
import type { EventBatch } from '../../../core/model/events.js';
import { liveRow, type LiveRow } from './live-row.js';
import type { EventViews } from './interval.js';
import { isWaitingSyscall } from './waits.js';

// Layout of the event histograms (the same as the per-syscall kernel ones).
const LAYOUT = standardLayout(3);

interface Tally {
  // a path; for a thread, its latest command name
  label: string;
  pid: number;
  tid: number;
  calls: number;
  errors: number;
  totalNs: number;
  // waiting calls (epoll_wait, futex, sleeps...) and their time
  waitCalls: number;
  waitNs: number;
  maxNs: number;
  histogram: LatencyHistogram;
}

// Totals of the calls seen since the last take().
export class EventWindow {
  private threads = new Map<string, Tally>();
  private files = new Map<string, Tally>();

  // Adds every row of a batch (paths already filled in by the fd table).
  add(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const ns = batch.durationNs[i]!;
      const failed = batch.ret[i]! < 0 && batch.ret[i]! > -4096;
      const waits = isWaitingSyscall(batch.syscall[i]!);
      const tid = batch.tid[i]!;
      const pid = batch.pid[i]!;
      // the label is built at take(): a thread's name changes when it execs
      const thread = tally(this.threads, `tid ${pid}/${tid}`, '', ns, failed, waits);
      thread.label = batch.comm[i] || thread.label;
      thread.pid = pid;
      thread.tid = tid;
      const path = batch.path[i];
      if (path !== null && path !== undefined) tally(this.files, path, path, ns, failed, waits);
    }
  }

  // The rows of the interval that just ended, and a fresh window; tracedNs and
  // workingNs: the interval's traced time, all of it and without waiting calls.
  take(intervalNs: number, tracedNs: number, workingNs: number = tracedNs): EventViews {
    const rows = (m: Map<string, Tally>, label: (t: Tally) => string): LiveRow[] =>
      [...m].map(([key, t]) =>
        liveRow(
          { key, label: label(t), syscall: null, calls: t.calls, errors: t.errors, totalNs: t.totalNs, waitCalls: t.waitCalls, waitNs: t.waitNs },
          intervalNs,
          tracedNs,
          () => ({ histogram: t.histogram, maxNs: t.maxNs }),
          workingNs,
        ),
      );
    const out = {
      threads: rows(this.threads, (t) => `${t.tid} ${t.label}${t.tid === t.pid ? '' : ` (pid ${t.pid})`}`.trimEnd()),
      files: rows(this.files, (t) => t.label),
    };
    this.threads = new Map();
    this.files = new Map();
    return out;
  }
}

function tally(m: Map<string, Tally>, key: string, label: string, ns: number, failed: boolean, waits: boolean): Tally {
  let t = m.get(key);
  if (t === undefined) {
    t = { label, pid: 0, tid: 0, calls: 0, errors: 0, totalNs: 0, waitCalls: 0, waitNs: 0, maxNs: 0, histogram: new LatencyHistogram(LAYOUT) };
    m.set(key, t);
  }
  t.calls += 1;
  if (failed) t.errors += 1;
  t.totalNs += ns;
  if (waits) {
    t.waitCalls += 1;
    t.waitNs += ns;
  }
  if (ns > t.maxNs) t.maxNs = ns;
  t.histogram.addValue(ns);
  return t;
}
