// Cumulative snapshots from a stream with deltas (the loader's --full-every):
// a delta snapshot carries only the per-syscall and per-process entries that
// changed since the one before it, so the reader keeps the last value of every
// entry and merges. A full snapshot replaces that state; a delta that does not
// follow the last merged snapshot (a reader that joined late, a lost frame: a
// gap in seq) cannot be merged, and the reader waits for the next full one.
// Every consumer then sees the same cumulative snapshots as from a full stream.
import { syscallprof } from './proto.js';
import type { WireSnapshot } from './wire.js';

type WireStats = syscallprof.ISyscallStats;
type WireProcess = syscallprof.IProcess;

// The cumulative state of one stream's snapshots.
export class SnapshotMerger {
  private readonly syscalls = new Map<number, WireStats>();
  // per process, its entries by syscall nr
  private readonly processes = new Map<number, Map<number, WireStats>>();
  private readonly procs = new Map<number, WireProcess>();
  // seq of the last snapshot merged; null: waiting for a full one
  private seq: number | null = null;

  // Whether the state is whole (a full snapshot seen, no gap since).
  get ready(): boolean {
    return this.seq !== null;
  }

  // The cumulative snapshot s stands for (s itself when full), or null while
  // waiting for a full one. The work is proportional to what s carries, plus
  // the copy of the state's lists.
  merge(s: WireSnapshot): WireSnapshot | null {
    if (!s.delta) {
      this.syscalls.clear();
      this.processes.clear();
      this.procs.clear();
      this.seq = s.seq;
      this.add(s);
      return s;
    }
    if (this.seq === null || s.seq !== this.seq + 1) {
      this.seq = null;
      return null;
    }
    this.seq = s.seq;
    for (const tgid of s.goneTgids) {
      this.processes.delete(tgid);
      this.procs.delete(tgid);
    }
    this.add(s);
    const whole = Object.assign(Object.create(Object.getPrototypeOf(s) as object) as WireSnapshot, s);
    whole.delta = false;
    whole.syscalls = [...this.syscalls.values()].sort((a, b) => (a.nr ?? 0) - (b.nr ?? 0)) as syscallprof.SyscallStats[];
    const processes: WireStats[] = [];
    for (const byNr of this.processes.values()) for (const st of byNr.values()) processes.push(st);
    whole.processes = processes as syscallprof.SyscallStats[];
    whole.procs = [...this.procs.values()] as syscallprof.Process[];
    return whole;
  }

  private add(s: WireSnapshot): void {
    for (const st of s.syscalls) this.syscalls.set(st.nr, st);
    for (const st of s.processes) {
      let byNr = this.processes.get(st.tgid);
      if (byNr === undefined) {
        byNr = new Map();
        this.processes.set(st.tgid, byNr);
      }
      byNr.set(st.nr, st);
    }
    for (const p of s.procs) this.procs.set(p.tgid, p);
  }
}
