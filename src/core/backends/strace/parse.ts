// Streaming parser of strace output (see line.ts for the grammar) into the
// normalized model: lines go in one at a time, EventBatch batches come out.
//
// Decisions:
// - a call is one event at the time its line (or its `<unfinished ...>` line)
//   was printed, lasting its -T time; without -T the duration is 0 and counted
//   in problems.untimed.
// - `= ?` (exit_group, a call cut short by a kill or exec): one event, duration
//   0, ret 0, counted in problems.noReturn (strace -c leaves these out).
// - `= ? ERESTARTSYS (...)`: returned to the tracer with the restart code: an
//   event with ret -512 (the kernel's code), timed normally.
// - `<unfinished ...>` without its resume by the end: an in-flight call, not an event.
// - signals are not calls; `+++ exited/killed +++` ends a process (the first
//   one's end is the target's exit).
// - strace prints thread ids; a clone with CLONE_THREAD makes the new tid part
//   of its parent's process, so `pid` is the thread group (resolved when a
//   batch is handed out: a new thread's first calls can be printed before the
//   clone's return).
// - raw argument texts have no slot in the model: integer arguments (fds with
//   their annotation, sizes, -X raw flags, NULL) go into the arg columns,
//   anything else (strings, structs, flag names) is 0.
import type { ProcessChange } from '../../wire/event-types.js';
import { FdTable } from '../../capture/fd-table.js';
import { ARG_COUNT, EventBatch, type SyscallEvent } from '../../model/events.js';
import { dirfdArg, fdUse } from '../../model/fd-syscalls.js';
import type { InFlightCall, TargetExit } from '../../model/profile.js';
import { hostArch, syscallNumber } from '../../model/syscall-names.js';
import { numericArg, stringArg } from './args.js';
import { parseCall, type ParsedCall } from './call.js';
import { clip, parseLine, type LineTime } from './line.js';
import { KEPT_BAD_LINES, type BadLine, type StraceProblems } from './problems.js';

// Parser options.
export interface ParserOptions {
  // rows per batch (default 8192)
  readonly batchRows?: number;
  // the thread id of lines without a pid column (strace without -f prints none); default 0
  readonly defaultTid?: number;
  // the traced machine's architecture, for syscall numbers (default: this one)
  readonly arch?: string;
}

// What the whole log said besides its calls.
export interface StraceFacts {
  // the first timestamp as ns since the epoch (decimal), or "0" without -ttt
  readonly startRealNs: string;
  // last timestamp minus first, ns
  readonly durationNs: number;
  // the first process's end, when it was printed
  readonly exit: TargetExit | null;
  // every `+++` line: processes that ended
  readonly processExits: number;
  readonly signals: number;
  readonly calls: number;
  readonly inFlight: readonly InFlightCall[];
}

interface Pending {
  readonly name: string;
  readonly text: string;
  readonly time: LineTime | null;
  readonly line: number;
}

const CLONE_THREAD = 0x10000;
const CLONES = new Set(['clone', 'clone3', 'fork', 'vfork']);
// syscalls whose first argument is a path (the *at ones are found through dirfdArg)
const PATH_FIRST = new Set([
  'open', 'creat', 'access', 'stat', 'lstat', 'execve', 'mkdir', 'rmdir', 'unlink', 'chdir', 'chroot', 'readlink',
  'statfs', 'truncate', 'chmod', 'chown', 'lchown', 'rename', 'link', 'symlink', 'utime', 'utimes', 'mknod',
  'getxattr', 'setxattr', 'listxattr', 'removexattr', 'lgetxattr', 'lsetxattr', 'llistxattr', 'lremovexattr',
]);
const EMPTY_EXTRAS = { sockaddr: new Map<number, Uint8Array>(), pipeFds: new Map<number, readonly [number, number]>() };

// Turns strace output lines into event batches; see the file comment for what becomes what.
export class StraceParser {
  private readonly batchRows: number;
  private readonly defaultTid: number;
  private readonly arch: string;
  private batch: EventBatch;
  private readonly ready: EventBatch[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly tgids = new Map<number, number>();
  private readonly comms = new Map<number, string>();
  private readonly fds = new FdTable();
  private changes: ProcessChange[] = [];
  private pipeFds = new Map<number, readonly [number, number]>();
  private t0: LineTime | null = null;
  private lastNs = 0;
  private firstTid: number | null = null;
  private exit: TargetExit | null = null;
  private processExits = 0;
  private signals = 0;
  private calls = 0;
  private badLines = 0;
  private readonly firstBad: BadLine[] = [];
  private unmatchedResumes = 0;
  private noReturn = 0;
  private untimed = 0;
  private sawPid = false;
  private sawTime = false;
  private lines = 0;

  constructor(options: ParserOptions = {}) {
    this.batchRows = options.batchRows ?? 8192;
    this.defaultTid = options.defaultTid ?? 0;
    this.arch = options.arch ?? hostArch();
    this.batch = new EventBatch(this.batchRows);
  }

  // Non-blank lines seen so far (the base of the 1% bad-line rule).
  get lineCount(): number {
    return this.lines;
  }

  // Parses one line (without its newline); `number` is its 1-based line number.
  push(text: string, number: number): void {
    const l = parseLine(text);
    if (l.kind === 'blank') return;
    this.lines += 1;
    if (l.kind === 'note') return;
    if (l.kind === 'bad') return this.bad(number, l.reason);
    if (l.tid !== null) this.sawPid = true;
    const tid = l.tid ?? this.defaultTid;
    this.firstTid ??= tid;
    const ns = this.offset(l.time);
    switch (l.kind) {
      case 'call': {
        const call = parseCall(l.name, l.text);
        if (typeof call === 'string') return this.bad(number, `${call}: "${clip(text)}"`);
        return this.event(tid, ns, call);
      }
      case 'unfinished':
        this.pending.set(tid, { name: l.name, text: l.text, time: l.time, line: number });
        return;
      case 'resumed': {
        const p = this.pending.get(tid);
        if (p === undefined || p.name !== l.name) {
          this.unmatchedResumes += 1;
          return;
        }
        this.pending.delete(tid);
        const call = parseCall(p.name, p.text + l.rest);
        if (typeof call === 'string') return this.bad(number, `${call} (resuming line ${p.line}): "${clip(text)}"`);
        return this.event(tid, this.offset(p.time), call);
      }
      case 'signal':
        this.signals += 1;
        return;
      case 'exit':
      case 'killed': {
        this.processExits += 1;
        const pid = this.tgidOf(tid);
        this.changes.push({ kind: 'exit', timeNs: ns, pid, comm: this.comms.get(pid) ?? '' });
        if (tid === this.firstTid && this.exit === null) {
          this.exit = l.kind === 'exit' ? { pid: tid, kind: 'exited', code: l.code } : { pid: tid, kind: 'killed', signal: signalNumber(l.signal) };
        }
        return;
      }
    }
  }

  // Batches complete so far (each handed out once).
  drain(): EventBatch[] {
    if (this.batch.full) this.flush();
    return this.ready.splice(0);
  }

  // Ends the input: hands out the last rows; pending calls become in-flight.
  finish(): EventBatch[] {
    if (this.batch.length > 0) this.flush();
    return this.ready.splice(0);
  }

  // What went wrong so far.
  problems(): StraceProblems {
    return {
      badLines: this.badLines,
      firstBad: [...this.firstBad],
      unmatchedResumes: this.unmatchedResumes,
      noReturn: this.noReturn,
      untimed: this.untimed,
      noPids: this.lines > 0 && !this.sawPid,
      noTimes: this.lines > 0 && !this.sawTime,
    };
  }

  // What the log said besides calls (complete after finish()).
  facts(): StraceFacts {
    const t0 = this.t0;
    const startRealNs = t0 !== null && t0.epoch ? `${t0.sec}${String(t0.ns).padStart(9, '0')}`.replace(/^0+(?=\d)/, '') : '0';
    const inFlight: InFlightCall[] = [...this.pending].map(([tid, p]) => ({
      tgid: this.tgidOf(tid),
      tid,
      syscall: p.name,
      nr: syscallNumber(this.arch, p.name),
      ageNs: Math.max(0, this.lastNs - this.offset(p.time)),
    }));
    return {
      startRealNs,
      durationNs: this.lastNs,
      exit: this.exit,
      processExits: this.processExits,
      signals: this.signals,
      calls: this.calls,
      inFlight,
    };
  }

  private bad(line: number, reason: string): void {
    this.badLines += 1;
    if (this.firstBad.length < KEPT_BAD_LINES) this.firstBad.push({ line, reason });
  }

  // ns since the first timestamp
  private offset(time: LineTime | null): number {
    if (time === null) return 0;
    this.sawTime = true;
    const t0 = (this.t0 ??= time);
    const ns = (time.sec - t0.sec) * 1e9 + (time.ns - t0.ns);
    if (ns > this.lastNs) this.lastNs = ns;
    return ns;
  }

  private tgidOf(tid: number): number {
    return this.tgids.get(tid) ?? tid;
  }

  private event(tid: number, startNs: number, call: ParsedCall): void {
    if (call.noReturn) this.noReturn += 1;
    else if (call.durationNs === null) this.untimed += 1;
    const durationNs = call.noReturn ? 0 : (call.durationNs ?? 0);
    if (startNs + durationNs > this.lastNs) this.lastNs = startNs + durationNs;
    const args: bigint[] = [];
    for (let k = 0; k < ARG_COUNT; k++) args.push(numericArg(call.args[k] ?? '')?.value ?? 0n);
    this.track(tid, startNs, call);
    const e: SyscallEvent = {
      startNs,
      durationNs,
      // resolved to the thread group when the batch is handed out
      pid: tid,
      tid,
      comm: '',
      syscall: call.name,
      nr: syscallNumber(this.arch, call.name) ?? unknownNumber(call.name),
      ret: call.ret,
      args,
      pos: null,
      path: pathOf(call),
    };
    if (this.batch.full) this.flush();
    if (call.name === 'pipe' || call.name === 'pipe2' || call.name === 'socketpair') {
      const pair = /^\[(\d+)(?:<[^,]*>)?, (\d+)/.exec(call.args[call.name === 'socketpair' ? 3 : 0] ?? '');
      if (pair !== null) this.pipeFds.set(this.batch.length, [Number(pair[1]), Number(pair[2])]);
    }
    this.batch.push(e);
    this.calls += 1;
  }

  // process structure: new threads and processes, exec names
  private track(tid: number, startNs: number, call: ParsedCall): void {
    if (CLONES.has(call.name) && call.ret > 0) {
      const flags = call.args.join(',');
      const m = /flags=(0x[0-9a-fA-F]+|\d+)/.exec(flags);
      const thread = flags.includes('CLONE_THREAD') || (m !== null && (Number(m[1]) & CLONE_THREAD) !== 0);
      const parent = this.tgidOf(tid);
      if (thread) this.tgids.set(call.ret, parent);
      else this.changes.push({ kind: 'fork', timeNs: startNs, pid: parent, child: call.ret, comm: this.comms.get(parent) ?? '' });
    } else if (call.name === 'execve' && call.ret === 0) {
      const file = stringArg(call.args[0] ?? '');
      if (file !== null) this.comms.set(this.tgidOf(tid), (file.split('/').pop() ?? '').slice(0, 15));
    }
  }

  // resolves thread groups and names, fills missing paths from the fd table, hands the batch out
  private flush(): void {
    const b = this.batch;
    for (let i = 0; i < b.length; i++) {
      const pid = this.tgidOf(b.tid[i]!);
      b.pid[i] = pid;
      b.comm[i] = this.comms.get(pid) ?? '';
    }
    const changes = this.changes.map((c) => (c.kind === 'fork' ? { ...c, pid: this.tgidOf(c.pid) } : { ...c, pid: this.tgidOf(c.pid) }));
    this.fds.annotate({ batch: b, extras: { ...EMPTY_EXTRAS, pipeFds: this.pipeFds }, processChanges: changes });
    this.changes = [];
    this.pipeFds = new Map();
    this.ready.push(b);
    this.batch = new EventBatch(this.batchRows);
  }
}

// `syscall_0x1b8` / `syscall_440`: strace's name for a number it has no name for.
function unknownNumber(name: string): number | null {
  const m = /^syscall_(0x[0-9a-fA-F]+|\d+)$/.exec(name);
  return m === null ? null : Number(m[1]);
}

// The file or socket a call is about, from strace's own text (-y annotations,
// path strings); null leaves it to the fd table.
function pathOf(call: ParsedCall): string | null {
  if (call.retPath !== null) return call.retPath;
  const use = fdUse(call.name);
  if (use !== null) {
    const k = use.kind === 'fd' ? use.arg : use.from;
    const a = numericArg(call.args[k] ?? '')?.annotation ?? null;
    if (use.kind === 'fd' || a === null) return a;
    const b = numericArg(call.args[use.to] ?? '')?.annotation ?? null;
    return b === null ? a : `${a} -> ${b}`;
  }
  const dirfd = dirfdArg(call.name);
  if (dirfd !== null) {
    const path = stringArg(call.args[dirfd + 1] ?? '');
    if (path === null || path.startsWith('/')) return path;
    const dir = numericArg(call.args[dirfd] ?? '')?.annotation ?? null;
    if (dir === null || !dir.startsWith('/')) return path === '' ? null : path;
    return path === '' ? dir : `${dir.endsWith('/') ? dir : `${dir}/`}${path}`;
  }
  if (PATH_FIRST.has(call.name)) return stringArg(call.args[0] ?? '');
  return null;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10,
  SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26,
  SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};

// A signal's number from its name (`SIGKILL`, `SIGRT_3`, or a bare number).
function signalNumber(name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  const rt = /^SIGRT(?:MIN)?_?(\d+)$/.exec(name);
  if (rt !== null) return 32 + Number(rt[1]);
  return SIGNALS[name] ?? 0;
}
