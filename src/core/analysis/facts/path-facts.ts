// Per-path metadata facts: opens (and how they failed), closes, stat/access
// lookups, fsyncs. Bounded: at most MAX_PATHS paths are kept; calls on others are
// counted in `otherCalls` only.
import { MAX_ERRNO } from '../../model/errno.js';
import type { EventBatch } from '../../model/events.js';

// How many paths are kept apart.
export const MAX_PATHS = 4096;

// ENOENT as a return value.
const ENOENT_RET = -2;

// newfstatat/statx with AT_EMPTY_PATH look at the fd itself (glibc's fstat): not a path lookup.
const AT_EMPTY_PATH = 0x1000;

const OPENS: ReadonlySet<string> = new Set(['open', 'openat', 'openat2', 'creat']);
const SYNCS: ReadonlySet<string> = new Set(['fsync', 'fdatasync']);
// path lookups that only ask about a file
const STATS: ReadonlySet<string> = new Set(['stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat']);

// What happened to one path.
export interface PathStats {
  readonly path: string;
  readonly opens: number;
  // processes that opened it successfully, and successful opens after each process's first
  readonly openProcesses: number;
  readonly reopens: number;
  // failed opens, and of those the ENOENT ones
  readonly openFailures: number;
  readonly openEnoent: number;
  // time in every open, and in the failed ones
  readonly openNs: number;
  readonly failedOpenNs: number;
  readonly enoentNs: number;
  // successful closes of an fd on it, and time in every close
  readonly closes: number;
  readonly closeNs: number;
  // stat/access/readlink lookups, their time and failures
  readonly stats: number;
  readonly statNs: number;
  readonly statFailures: number;
  // fsync/fdatasync calls on an fd of it, and their time
  readonly syncs: number;
  readonly syncNs: number;
}

// The per-path facts of a capture.
export interface PathFacts {
  // by open + stat calls, most first
  readonly paths: readonly PathStats[];
  // calls on paths not kept apart
  readonly otherCalls: number;
  // open calls whose path the capture does not say
  readonly unknownPathOpens: number;
}

// Processes told apart per path (more are counted as processes, their reopens not).
const MAX_PIDS_PER_PATH = 4096;

class PathAcc {
  opens = 0;
  readonly okOpensByPid = new Map<number, number>();
  extraProcesses = 0;
  openFailures = 0;
  openEnoent = 0;
  openNs = 0;
  failedOpenNs = 0;
  enoentNs = 0;
  closes = 0;
  closeNs = 0;
  stats = 0;
  statNs = 0;
  statFailures = 0;
  syncs = 0;
  syncNs = 0;
  constructor(readonly path: string) {}
}

// Collects per-path facts from rows.
export class PathCollector {
  private readonly paths = new Map<string, PathAcc>();
  private otherCalls = 0;
  private unknownPathOpens = 0;

  // Whether a syscall is something this collector looks at.
  static wants(syscall: string): boolean {
    return OPENS.has(syscall) || STATS.has(syscall) || SYNCS.has(syscall) || syscall === 'close';
  }

  // Looks at row i (its duration `ns`).
  observe(batch: EventBatch, i: number, ns: number): void {
    const name = batch.syscall[i]!;
    const ret = batch.ret[i]!;
    const failed = ret < 0 && ret >= -MAX_ERRNO;
    const path = batch.path[i] ?? null;
    if (OPENS.has(name)) {
      if (path === null) {
        this.unknownPathOpens++;
        return;
      }
      const p = this.acc(path);
      if (p === null) return;
      p.opens++;
      p.openNs += ns;
      if (!failed) {
        const pid = batch.pid[i]!;
        const n = p.okOpensByPid.get(pid);
        if (n !== undefined) p.okOpensByPid.set(pid, n + 1);
        else if (p.okOpensByPid.size < MAX_PIDS_PER_PATH) p.okOpensByPid.set(pid, 1);
        else p.extraProcesses++;
      }
      if (failed) {
        p.openFailures++;
        p.failedOpenNs += ns;
        if (ret === ENOENT_RET) {
          p.openEnoent++;
          p.enoentNs += ns;
        }
      }
    } else if (name === 'close') {
      if (path === null) return;
      const p = this.acc(path);
      if (p === null) return;
      p.closeNs += ns;
      if (ret === 0) p.closes++;
    } else if (SYNCS.has(name)) {
      if (path === null) return;
      const p = this.acc(path);
      if (p === null) return;
      p.syncs++;
      p.syncNs += ns;
    } else if (STATS.has(name)) {
      if (path === null) return;
      if (name === 'newfstatat' && (batch.argNumber(i, 3) & AT_EMPTY_PATH) !== 0) return;
      if (name === 'statx' && (batch.argNumber(i, 2) & AT_EMPTY_PATH) !== 0) return;
      const p = this.acc(path);
      if (p === null) return;
      p.stats++;
      p.statNs += ns;
      if (failed) p.statFailures++;
    }
  }

  finish(): PathFacts {
    const paths = [...this.paths.values()]
      .map((p): PathStats => {
        const { okOpensByPid, extraProcesses, ...rest } = p;
        let reopens = 0;
        for (const n of okOpensByPid.values()) reopens += n - 1;
        return { ...rest, openProcesses: okOpensByPid.size + extraProcesses, reopens };
      })
      .sort((a, b) => b.opens + b.stats - (a.opens + a.stats) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { paths, otherCalls: this.otherCalls, unknownPathOpens: this.unknownPathOpens };
  }

  private acc(path: string): PathAcc | null {
    let p = this.paths.get(path);
    if (p !== undefined) return p;
    if (this.paths.size >= MAX_PATHS) {
      this.otherCalls++;
      return null;
    }
    p = new PathAcc(path);
    this.paths.set(path, p);
    return p;
  }
}
