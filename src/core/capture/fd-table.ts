// fd -> path tracking per process, fed in order with the event batches and
// process changes, filling in each row's `path` column.
//
// What it does not know: fds inherited from before tracing started (other than
// 0/1/2, and what seed() is given from /proc), fds passed over unix sockets
// (SCM_RIGHTS), and close-on-exec: an exec keeps the table as it is, so an
// O_CLOEXEC fd closed by exec keeps its old description until its number is reused.
import type { CallExtras, EventChunk, ProcessChange } from '../wire/event-types.js';
import type { EventBatch } from '../model/events.js';
import type { IoUringRequests } from '../model/io-uring-requests.js';
import {
  AT_FDCWD,
  CLOSE_RANGE_CLOEXEC,
  dirfdArg,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  fdClosing,
  fdCreation,
  fdUse,
  type FdCreation,
  type FdUse,
} from '../model/fd-syscalls.js';
import { AF_INET, AF_INET6, AF_UNIX, decodeSockaddr } from './sockaddr.js';

// What an fd stands for before anything reassigns it.
const STANDARD_FDS: readonly (readonly [number, string])[] = [
  [0, 'stdin'],
  [1, 'stdout'],
  [2, 'stderr'],
];

// Socket types (the low 4 bits of socket()'s type argument).
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;

// connect() on a non-blocking socket: the address is set, the handshake pending.
const EINPROGRESS = 115;

// io_uring opcodes that make or end an fd
const URING_OPENAT = 18;
const URING_CLOSE = 19;
const URING_OPENAT2 = 28;

// close_range(first, ~0U, ...) must not loop over four billion numbers.
const MAX_TRACKED_FD = 1 << 20;

// A process's descriptor table; shared copy-on-write between a parent and its
// forked children until either changes it (threads of one process are one pid).
interface Table {
  fds: Map<number, string>;
  owners: number;
}

// What a syscall does to descriptors, looked up once per syscall name.
interface SyscallRule {
  readonly use: FdUse | null;
  readonly dirfd: number | null;
  readonly creation: FdCreation | null;
  readonly closing: 'one' | 'range' | null;
}

// The socket description for socket(family, type): "socket:tcp", "socket:udp6", "socket:unix".
export function socketDescription(family: number, type: number): string {
  const t = type & 0xf;
  if (family === AF_INET || family === AF_INET6) {
    const six = family === AF_INET6 ? '6' : '';
    if (t === SOCK_STREAM) return `socket:tcp${six}`;
    if (t === SOCK_DGRAM) return `socket:udp${six}`;
    return `socket:inet${six}/${t}`;
  }
  if (family === AF_UNIX) return 'socket:unix';
  if (family === 16) return 'socket:netlink';
  if (family === 17) return 'socket:packet';
  return `socket:${family}/${t}`;
}

// Descriptor tables of every traced process.
export class FdTable {
  private readonly tables = new Map<number, Table>();
  private readonly rules = new Map<string, SyscallRule>();
  // processes that exited in this batch and the one before (see annotate)
  private exited = new Set<number>();
  private exitedBefore = new Set<number>();

  // Sets a process's table from what /proc/PID/fd showed (replaces anything known).
  seed(pid: number, fds: ReadonlyMap<number, string>): void {
    this.drop(pid);
    this.tables.set(pid, { fds: new Map(fds), owners: 1 });
  }

  // What fd stands for in process pid right now, or null.
  describe(pid: number, fd: number): string | null {
    return this.tableOf(pid).fds.get(fd) ?? null;
  }

  // Fills in the path of every row of a chunk that has none yet (a row whose
  // call took a path keeps it), and applies the calls' and process changes'
  // effects on the tables in time order.
  annotate(chunk: EventChunk): void {
    const { batch, extras, processChanges } = chunk;
    // io_uring requests are resolved as of their submission, between the calls that end around it
    const reqs = batch.ioUring;
    const order = reqs === null ? [] : submitOrder(reqs);
    let next = 0;
    let r = 0;
    for (let i = 0; i < batch.length; i++) {
      const end = batch.startNs[i]! + batch.durationNs[i]!;
      if (next < processChanges.length) {
        while (next < processChanges.length && processChanges[next]!.timeNs <= end) this.apply(processChanges[next++]!);
      }
      while (r < order.length && reqs!.startNs[order[r]!]! < end) this.request(reqs!, order[r++]!);
      this.row(batch, i, extras);
    }
    while (next < processChanges.length) this.apply(processChanges[next++]!);
    while (r < order.length) this.request(reqs!, order[r++]!);
    // an exited process's table stays one more batch: other threads' last calls
    // may end (and arrive) after the exit event
    for (const pid of this.exitedBefore) this.drop(pid);
    this.exitedBefore = this.exited;
    this.exited = new Set();
  }

  // Applies one process change.
  apply(change: ProcessChange): void {
    switch (change.kind) {
      case 'fork': {
        if (change.child === change.pid) return;
        this.revive(change.child);
        this.drop(change.child);
        const parent = this.tableOf(change.pid);
        parent.owners += 1;
        this.tables.set(change.child, parent);
        return;
      }
      case 'exit':
        this.exited.add(change.pid);
        return;
      // exec keeps the table (close-on-exec is not tracked); a name changes nothing
      default:
        return;
    }
  }

  // an io_uring request's path (a fixed file's is not known: its index is not an fd);
  // an fd its OPENAT made or its CLOSE ended stands for nothing known any more
  private request(reqs: IoUringRequests, i: number): void {
    if (reqs.fixedFile[i] === 1) return;
    const pid = reqs.pid[i]!;
    const opcode = reqs.opcode[i]!;
    const result = reqs.result[i]!;
    if ((opcode === URING_OPENAT || opcode === URING_OPENAT2) && result >= 0) this.set(pid, result, null);
    else if (opcode === URING_CLOSE && result === 0) this.set(pid, reqs.fd[i]!, null);
    else reqs.path[i] = this.describe(pid, reqs.fd[i]!);
  }

  private row(batch: EventBatch, i: number, extras: CallExtras): void {
    const rule = this.ruleOf(batch.syscall[i]!);
    if (rule.use === null && rule.dirfd === null && rule.creation === null && rule.closing === null) return;
    const pid = batch.pid[i]!;
    if (rule.use !== null && batch.path[i] === null) batch.path[i] = this.usePath(pid, rule.use, batch, i);
    if (rule.dirfd !== null) batch.path[i] = this.atPath(pid, batch.argInt(i, rule.dirfd), batch.path[i] ?? null);
    const ret = batch.ret[i]!;
    if (rule.closing !== null) {
      if (ret === 0) this.close(pid, rule.closing, batch, i);
      return;
    }
    if (rule.creation !== null) this.create(pid, rule.creation, batch, i, extras);
    else if (batch.syscall[i] === 'connect') {
      // the row names the address it connects to (refused or not); the socket keeps it once it is connected or connecting
      const description = this.addressed(pid, batch.argInt(i, 0), extras.sockaddr.get(i));
      if (description === null) return;
      batch.path[i] = description;
      if (ret === 0 || ret === -EINPROGRESS) this.set(pid, batch.argInt(i, 0), description);
    } else if (batch.syscall[i] === 'bind' && ret === 0) {
      const description = this.addressed(pid, batch.argInt(i, 0), extras.sockaddr.get(i));
      if (description !== null) this.set(pid, batch.argInt(i, 0), description);
    }
  }

  private usePath(pid: number, use: FdUse, batch: EventBatch, i: number): string | null {
    const fds = this.tableOf(pid).fds;
    if (use.kind === 'fd') {
      const fd = batch.argInt(i, use.arg);
      return fd < 0 ? null : (fds.get(fd) ?? null);
    }
    const from = batch.argInt(i, use.from);
    const to = batch.argInt(i, use.to);
    const a = fds.get(from);
    const b = fds.get(to);
    if (a === undefined && b === undefined) return null;
    return `${a ?? `fd ${from}`} -> ${b ?? `fd ${to}`}`;
  }

  // an *at call's path: relative to a known directory fd, or the fd itself when empty
  private atPath(pid: number, dirfd: number, path: string | null): string | null {
    if (dirfd === AT_FDCWD || dirfd < 0) return path === '' ? null : path;
    if (path !== null && path.startsWith('/')) return path;
    const dir = this.tableOf(pid).fds.get(dirfd);
    if (dir === undefined) return path === '' ? null : path;
    if (path === null || path === '') return dir;
    return dir.startsWith('/') ? `${dir.endsWith('/') ? dir : `${dir}/`}${path}` : path;
  }

  private create(pid: number, creation: FdCreation, batch: EventBatch, i: number, extras: CallExtras): void {
    const ret = batch.ret[i]!;
    if (ret < 0) return;
    switch (creation.kind) {
      case 'open': {
        const path = batch.path[i];
        this.set(pid, ret, path ?? null);
        return;
      }
      case 'socket':
        this.set(pid, ret, socketDescription(batch.argInt(i, 0), batch.argInt(i, 1)));
        return;
      case 'accept': {
        const listening = this.tableOf(pid).fds.get(batch.argInt(i, 0)) ?? null;
        const peer = extras.sockaddr.get(i);
        const addr = peer === undefined ? null : decodeSockaddr(peer);
        const base = listening !== null ? socketBase(listening) : addr !== null ? familyBase(addr.family) : 'socket';
        this.set(pid, ret, addr === null || addr.text === '' ? base : `${base} ${addr.text}`);
        return;
      }
      case 'pair': {
        const fds = extras.pipeFds.get(i);
        if (fds === undefined) return;
        if (creation.label === 'pipe') {
          this.set(pid, fds[0], 'pipe:[r]');
          this.set(pid, fds[1], 'pipe:[w]');
        } else {
          this.set(pid, fds[0], creation.label);
          this.set(pid, fds[1], creation.label);
        }
        return;
      }
      case 'dup':
        this.set(pid, ret, this.describe(pid, batch.argInt(i, 0)));
        return;
      case 'dup-to':
        this.set(pid, batch.argInt(i, 1), this.describe(pid, batch.argInt(i, 0)));
        return;
      case 'fcntl': {
        const cmd = batch.argInt(i, 1);
        if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC) this.set(pid, ret, this.describe(pid, batch.argInt(i, 0)));
        return;
      }
      case 'anon':
        this.set(pid, ret, creation.name);
        return;
      case 'memfd':
        this.set(pid, ret, batch.path[i] !== null ? `memfd:${batch.path[i]}` : 'memfd');
        return;
    }
  }

  private close(pid: number, closing: 'one' | 'range', batch: EventBatch, i: number): void {
    if (closing === 'one') {
      this.set(pid, batch.argInt(i, 0), null);
      return;
    }
    // close_range(first, last, flags): unsigned bounds, last often ~0U
    if ((batch.argNumber(i, 2) & CLOSE_RANGE_CLOEXEC) !== 0) return;
    const first = batch.argLo[0]![i]!;
    const last = Math.min(batch.argLo[1]![i]!, MAX_TRACKED_FD);
    const table = this.writable(pid);
    for (const fd of [...table.fds.keys()]) if (fd >= first && fd <= last) table.fds.delete(fd);
  }

  // connect/bind: the socket's description with the address, or null when the address is not known
  private addressed(pid: number, fd: number, raw: Uint8Array | undefined): string | null {
    if (raw === undefined) return null;
    const addr = decodeSockaddr(raw);
    if (addr === null || addr.text === '') return null;
    const current = this.describe(pid, fd);
    const base = current !== null && current.startsWith('socket:') ? socketBase(current) : familyBase(addr.family);
    return `${base} ${addr.text}`;
  }

  // sets (or with null, removes) one fd
  private set(pid: number, fd: number, description: string | null): void {
    if (fd < 0) return;
    const table = this.writable(pid);
    if (description === null) table.fds.delete(fd);
    else table.fds.set(fd, description);
  }

  private tableOf(pid: number): Table {
    let table = this.tables.get(pid);
    if (table === undefined) {
      table = { fds: new Map(STANDARD_FDS), owners: 1 };
      this.tables.set(pid, table);
    }
    return table;
  }

  // the process's own table, copied first if it is shared
  private writable(pid: number): Table {
    const table = this.tableOf(pid);
    if (table.owners === 1) return table;
    table.owners -= 1;
    const own = { fds: new Map(table.fds), owners: 1 };
    this.tables.set(pid, own);
    return own;
  }

  private drop(pid: number): void {
    const table = this.tables.get(pid);
    if (table === undefined) return;
    table.owners -= 1;
    this.tables.delete(pid);
  }

  private revive(pid: number): void {
    this.exited.delete(pid);
    this.exitedBefore.delete(pid);
  }

  private ruleOf(syscall: string): SyscallRule {
    let rule = this.rules.get(syscall);
    if (rule === undefined) {
      rule = { use: fdUse(syscall), dirfd: dirfdArg(syscall), creation: fdCreation(syscall), closing: fdClosing(syscall) };
      this.rules.set(syscall, rule);
    }
    return rule;
  }
}

// "socket:tcp 1.2.3.4:5" -> "socket:tcp"
function socketBase(description: string): string {
  const space = description.indexOf(' ');
  return space < 0 ? description : description.slice(0, space);
}

// a socket whose creation we did not see, named by its address family
function familyBase(family: number): string {
  if (family === AF_INET) return 'socket:inet';
  if (family === AF_INET6) return 'socket:inet6';
  if (family === AF_UNIX) return 'socket:unix';
  return 'socket';
}

// request indices by submission time (they arrive in completion order)
function submitOrder(reqs: IoUringRequests): number[] {
  const order = Array.from({ length: reqs.length }, (_, i) => i);
  return order.sort((a, b) => reqs.startNs[a]! - reqs.startNs[b]!);
}
