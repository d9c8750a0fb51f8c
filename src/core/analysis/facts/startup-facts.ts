// Process start-up as a phase (seed 002 reads `date`'s strace output this way):
// from a process's execve to the end of the dynamic loader's work - the
// ld.so.preload access, ld.so.cache, each library's open/read/fstat/mmap/
// mprotect/close, arch_prctl, set_tid_address, set_robust_list, rseq, then the
// RELRO mprotects, prlimit64 and the cache's munmap. The phase ends at the
// first call outside that sequence (or, after rseq/set_robust_list, at any
// call but the last mprotects, prlimit64 and munmap): the program's own code
// runs from there. Failed execve attempts (execvp walking $PATH) count in the
// phase of the exec that follows. Bounded: at most MAX_STARTUP_PROGRAMS
// program names are kept apart.
import { MAX_ERRNO } from '../../model/errno.js';
import type { EventBatch } from '../../model/events.js';

// Program names kept apart (the rest are added into the totals only).
export const MAX_STARTUP_PROGRAMS = 256;

// Calls the dynamic loader makes while it maps a program and its libraries.
const LOADER_CALLS: ReadonlySet<string> = new Set([
  'execve',
  'execveat',
  'brk',
  'arch_prctl',
  'access',
  'faccessat',
  'faccessat2',
  'open',
  'openat',
  'read',
  'pread64',
  'fstat',
  'newfstatat',
  'statx',
  'mmap',
  'mprotect',
  'munmap',
  'close',
  'set_tid_address',
  'set_robust_list',
  'rseq',
  'prlimit64',
  'readlink',
  'uname',
]);
// glibc's last steps once the thread is set up (rseq/set_robust_list seen).
const TAIL_CALLS: ReadonlySet<string> = new Set(['rseq', 'set_robust_list', 'mprotect', 'prlimit64', 'munmap']);
const OPENS: ReadonlySet<string> = new Set(['open', 'openat']);

// A path the loader opens: a shared library, the library cache, the preload list.
export function isLoaderPath(path: string): boolean {
  return /\.so(\.[0-9]+)*$/.test(path) || path === '/etc/ld.so.cache' || path === '/etc/ld.so.preload' || path.includes('/glibc-hwcaps/');
}

// One program's start-ups.
export interface ProgramStartups {
  // its command name after the exec
  readonly comm: string;
  readonly starts: number;
  // execve start to the end of the loader's last call, added over its starts
  readonly totalNs: number;
  // of that, time inside syscalls
  readonly syscallNs: number;
  readonly libraries: number;
}

// The start-up facts of a capture.
export interface StartupFacts {
  // processes seen starting (an execve followed by the loader's work)
  readonly starts: number;
  readonly totalNs: number;
  readonly syscallNs: number;
  readonly calls: number;
  // shared libraries opened while starting, all processes
  readonly libraries: number;
  // execve calls that failed (execvp trying each $PATH directory), and their time
  readonly failedExecs: number;
  readonly failedExecNs: number;
  // by start-up time, most first
  readonly programs: readonly ProgramStartups[];
  // the start-up calls per syscall (the other rules leave them to this phase)
  readonly bySyscall: ReadonlyMap<string, StartupCalls>;
}

// One syscall's calls inside start-ups.
export interface StartupCalls {
  readonly calls: number;
  readonly errors: number;
  readonly ns: number;
}

class Starting {
  lastEndNs: number;
  calls = 0;
  syscallNs = 0;
  libraries = 0;
  exec = false;
  threadSet = false;
  comm = '';
  readonly bySyscall = new Map<string, { calls: number; errors: number; ns: number }>();
  constructor(readonly startNs: number) {
    this.lastEndNs = startNs;
  }
}

class ProgramAcc {
  starts = 0;
  totalNs = 0;
  syscallNs = 0;
  libraries = 0;
  constructor(readonly comm: string) {}
}

// Follows each process through its start-up.
export class StartupCollector {
  private readonly starting = new Map<number, Starting>();
  private readonly programs = new Map<string, ProgramAcc>();
  private starts = 0;
  private totalNs = 0;
  private syscallNs = 0;
  private calls = 0;
  private libraries = 0;
  private failedExecs = 0;
  private failedExecNs = 0;
  private otherPrograms: ProgramAcc = new ProgramAcc('(other)');
  private readonly bySyscall = new Map<string, { calls: number; errors: number; ns: number }>();

  // Looks at row i (its duration `ns`).
  observe(batch: EventBatch, i: number, ns: number): void {
    const name = batch.syscall[i]!;
    const isExec = name === 'execve' || name === 'execveat';
    if (!isExec && this.starting.size === 0) return;
    const pid = batch.pid[i]!;
    let s = this.starting.get(pid);
    if (s === undefined) {
      if (!isExec) return;
      s = new Starting(batch.startNs[i]!);
      this.starting.set(pid, s);
    } else if (!this.stillStarting(s, name, batch, i)) {
      this.end(pid, s);
      if (!isExec) return;
      s = new Starting(batch.startNs[i]!);
      this.starting.set(pid, s);
    }
    const ret = batch.ret[i]!;
    const failed = ret < 0 && ret >= -MAX_ERRNO;
    if (isExec) {
      if (failed) {
        this.failedExecs++;
        this.failedExecNs += ns;
      } else s.exec = true;
    }
    if (name === 'rseq' || name === 'set_robust_list') s.threadSet = true;
    if (OPENS.has(name) && !failed) {
      const path = batch.path[i];
      if (path != null && /\.so(\.[0-9]+)*$/.test(path)) s.libraries++;
    }
    s.calls++;
    s.syscallNs += ns;
    let c = s.bySyscall.get(name);
    if (c === undefined) {
      c = { calls: 0, errors: 0, ns: 0 };
      s.bySyscall.set(name, c);
    }
    c.calls++;
    c.ns += ns;
    if (failed) c.errors++;
    s.lastEndNs = Math.max(s.lastEndNs, batch.startNs[i]! + ns);
    s.comm = batch.comm[i]!;
  }

  finish(): StartupFacts {
    for (const [pid, s] of this.starting) this.end(pid, s);
    const programs = [...this.programs.values(), ...(this.otherPrograms.starts > 0 ? [this.otherPrograms] : [])]
      .map((p): ProgramStartups => ({ comm: p.comm, starts: p.starts, totalNs: p.totalNs, syscallNs: p.syscallNs, libraries: p.libraries }))
      .sort((a, b) => b.totalNs - a.totalNs || (a.comm < b.comm ? -1 : a.comm > b.comm ? 1 : 0));
    return {
      starts: this.starts,
      totalNs: this.totalNs,
      syscallNs: this.syscallNs,
      calls: this.calls,
      libraries: this.libraries,
      failedExecs: this.failedExecs,
      failedExecNs: this.failedExecNs,
      programs,
      bySyscall: this.bySyscall,
    };
  }

  // Whether a call continues the start-up.
  private stillStarting(s: Starting, name: string, batch: EventBatch, i: number): boolean {
    if (!s.exec) return name === 'execve' || name === 'execveat';
    if (s.threadSet) return TAIL_CALLS.has(name);
    if (!LOADER_CALLS.has(name) || name === 'execve' || name === 'execveat') return false;
    if (OPENS.has(name)) {
      const path = batch.path[i];
      return path != null && isLoaderPath(path);
    }
    return true;
  }

  private end(pid: number, s: Starting): void {
    this.starting.delete(pid);
    if (!s.exec) return;
    const span = Math.max(0, s.lastEndNs - s.startNs);
    this.starts++;
    this.totalNs += span;
    this.syscallNs += s.syscallNs;
    this.calls += s.calls;
    this.libraries += s.libraries;
    for (const [name, c] of s.bySyscall) {
      const all = this.bySyscall.get(name);
      if (all === undefined) this.bySyscall.set(name, { ...c });
      else {
        all.calls += c.calls;
        all.errors += c.errors;
        all.ns += c.ns;
      }
    }
    let p = this.programs.get(s.comm);
    if (p === undefined) {
      if (this.programs.size >= MAX_STARTUP_PROGRAMS) p = this.otherPrograms;
      else {
        p = new ProgramAcc(s.comm);
        this.programs.set(s.comm, p);
      }
    }
    p.starts++;
    p.totalNs += span;
    p.syscallNs += s.syscallNs;
    p.libraries += s.libraries;
  }
}
