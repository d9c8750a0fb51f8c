// The per-call facts the recommendation rules need and an Aggregate does not
// keep, gathered in the same single pass over the batches as the aggregate
// (aggregate-events.ts calls observe() for every row, in order). Memory is
// bounded by the caps of each part (fd-flags, io-streams, path-facts,
// wait-facts, network-facts).
import type { EventBatch } from '../../model/events.js';
import { ConnectionCollector, type ConnectionFacts } from './connection-facts.js';
import { FdFlags } from './fd-flags.js';
import { MAX_FD_STREAMS, MAX_FILES, StreamTable, type IoCall, type IoStreamTable } from './io-streams.js';
import { NetworkCollector, type NetworkFacts } from './network-facts.js';
import { PathCollector, type PathFacts } from './path-facts.js';
import { StartupCollector, type StartupFacts } from './startup-facts.js';
import { WaitCollector, type WaitFacts } from './wait-facts.js';

// Memory-mapping calls.
export interface MemoryFacts {
  // mmap calls without a file (MAP_ANONYMOUS or fd -1), and with one
  readonly anonymousMmaps: number;
  readonly fileMmaps: number;
  readonly munmaps: number;
  readonly brks: number;
}

// Everything the streaming pass learnt about a capture's calls.
export interface CaptureFacts {
  // I/O per fd (pid, fd, path) and per file (path): calls, bytes, time, sizes, patterns
  readonly fds: IoStreamTable;
  readonly files: IoStreamTable;
  readonly paths: PathFacts;
  readonly waits: WaitFacts;
  readonly network: NetworkFacts;
  // connections on stream sockets: lifecycle, connect, first byte, churn
  readonly connections: ConnectionFacts;
  readonly memory: MemoryFacts;
  // processes starting: execve and the dynamic loader's work, as a phase
  readonly startup: StartupFacts;
  // open calls (open, openat, creat), and those that may create the file (O_CREAT, creat)
  readonly opens: { readonly calls: number; readonly creates: number };
  // writes on fds opened O_SYNC/O_DSYNC, and their time
  readonly syncWrites: number;
  readonly syncWriteNs: number;
}

// Where each I/O call's offset is, whether it reads, where its requested size is.
interface IoShape {
  readonly read: boolean;
  // 'pos': the pos column; 'arg3': the offset argument (-1 in the v2 calls: the file position)
  readonly offset: 'pos' | 'arg3' | 'none';
  // argument holding the byte count asked for, or null (vectored calls)
  readonly sizeArg: number | null;
}

const IO_SHAPES: ReadonlyMap<string, IoShape> = new Map<string, IoShape>([
  ['read', { read: true, offset: 'pos', sizeArg: 2 }],
  ['readv', { read: true, offset: 'pos', sizeArg: null }],
  ['pread64', { read: true, offset: 'arg3', sizeArg: 2 }],
  ['preadv', { read: true, offset: 'arg3', sizeArg: null }],
  ['preadv2', { read: true, offset: 'arg3', sizeArg: null }],
  ['recvfrom', { read: true, offset: 'none', sizeArg: 2 }],
  ['recvmsg', { read: true, offset: 'none', sizeArg: null }],
  ['write', { read: false, offset: 'pos', sizeArg: 2 }],
  ['writev', { read: false, offset: 'pos', sizeArg: null }],
  ['pwrite64', { read: false, offset: 'arg3', sizeArg: 2 }],
  ['pwritev', { read: false, offset: 'arg3', sizeArg: null }],
  ['pwritev2', { read: false, offset: 'arg3', sizeArg: null }],
  ['sendto', { read: false, offset: 'none', sizeArg: 2 }],
  ['sendmsg', { read: false, offset: 'none', sizeArg: null }],
]);

// Calls that change fd flags (see FdFlags.observe).
const FLAG_CALLS: ReadonlySet<string> = new Set(['open', 'openat', 'openat2', 'creat', 'socket', 'accept', 'accept4', 'dup', 'dup2', 'dup3', 'fcntl', 'close', 'close_range']);

const MAP_ANONYMOUS = 0x20;
// open(2)'s O_CREAT (asm-generic; the same on x86-64 and arm64)
const O_CREAT = 0o100;

// What a syscall is looked at for: bits of its role.
const ROLE_IO = 1;
const ROLE_PATH = 2;
const ROLE_WAIT = 4;
const ROLE_MEMORY = 8;
const ROLE_CLOSE = 16;
const ROLE_NETWORK = 32;
const ROLE_FLAGS = 64;
const ROLE_CONNECTION = 128;

// The roles of a syscall (0: nothing to look at).
function roleOf(name: string): number {
  let role = 0;
  if (IO_SHAPES.has(name)) role |= ROLE_IO;
  else if (PathCollector.wants(name)) role |= ROLE_PATH;
  else if (WaitCollector.wants(name)) role |= ROLE_WAIT;
  else if (name === 'mmap' || name === 'munmap' || name === 'brk') role |= ROLE_MEMORY;
  if (name === 'close') role |= ROLE_CLOSE;
  if (NetworkCollector.counts(name, null) || NetworkCollector.counts(name, 'socket')) role |= ROLE_NETWORK;
  if (FLAG_CALLS.has(name)) role |= ROLE_FLAGS;
  if (ConnectionCollector.wants(name)) role |= ROLE_CONNECTION;
  return role;
}
// pid < 2^22, fd < 2^24: one exact number keys both
const FD_SCALE = 2 ** 24;

// Whether a path names a regular file (not a socket, pipe, anonymous inode or standard stream label).
export function isFilePath(path: string): boolean {
  return !/^(socket|pipe|anon_inode|memfd)[:[]/.test(path) && path !== 'stdin' && path !== 'stdout' && path !== 'stderr' && path !== 'socket';
}

// Gathers CaptureFacts row by row.
export class FactsCollector {
  readonly flags = new FdFlags();
  private readonly fds = new StreamTable(MAX_FD_STREAMS);
  private readonly files = new StreamTable(MAX_FILES);
  private readonly paths = new PathCollector();
  private readonly waits = new WaitCollector();
  private readonly network = new NetworkCollector();
  private readonly startup = new StartupCollector();
  private readonly connections = new ConnectionCollector();
  private readonly nonBlocking = (pid: number, fd: number): boolean => this.flags.nonBlocking(pid, fd);
  private openCalls = 0;
  private createOpens = 0;
  private anonymousMmaps = 0;
  private fileMmaps = 0;
  private munmaps = 0;
  private brks = 0;
  private syncWrites = 0;
  private syncWriteNs = 0;
  // what each syscall name is looked at for (ROLE_* bits), worked out once
  private readonly roles = new Map<string, number>();

  // Looks at row i (its duration `ns`); returns whether it is a write on an
  // O_SYNC/O_DSYNC fd (the aggregate files it under sync).
  observe(batch: EventBatch, i: number, ns: number): boolean {
    const name = batch.syscall[i]!;
    this.startup.observe(batch, i, ns);
    let role = this.roles.get(name);
    if (role === undefined) {
      role = roleOf(name);
      this.roles.set(name, role);
    }
    if (role === 0) return false;
    let synced = false;
    if ((role & ROLE_IO) !== 0) synced = this.io(batch, i, ns, IO_SHAPES.get(name)!);
    if ((role & ROLE_PATH) !== 0) this.paths.observe(batch, i, ns);
    if ((role & ROLE_WAIT) !== 0) this.waits.observe(batch, i, ns);
    if ((role & ROLE_MEMORY) !== 0) this.memory(name, batch, i);
    if ((role & ROLE_CLOSE) !== 0 && batch.ret[i] === 0) {
      // a new file on this fd number starts its own sequence
      const key = batch.pid[i]! * FD_SCALE + batch.argInt(i, 0);
      for (const s of [this.fds.peek(key), this.fds.peek(`${key}:${batch.path[i] ?? ''}`)]) if (s !== undefined) s.lastEnd = Number.NaN;
    }
    if ((role & ROLE_NETWORK) !== 0 && NetworkCollector.counts(name, batch.path[i] ?? null)) {
      const fd = batch.argInt(i, 0);
      this.network.add(name, batch.pid[i]!, batch.tid[i]!, fd, ns, this.flags.nonBlocking(batch.pid[i]!, fd));
    }
    // before the flags change: accept looks at its listening socket's flags
    if ((role & ROLE_CONNECTION) !== 0) this.connections.observe(batch, i, ns, this.nonBlocking);
    if ((role & ROLE_FLAGS) !== 0) {
      this.flags.observe(batch, i);
      if (name === 'open' || name === 'openat' || name === 'creat') {
        this.openCalls++;
        if (name === 'creat' || (batch.argNumber(i, name === 'open' ? 1 : 2) & O_CREAT) !== 0) this.createOpens++;
      }
    }
    return synced;
  }

  finish(): CaptureFacts {
    return {
      fds: this.fds.finish(),
      files: this.files.finish(),
      paths: this.paths.finish(),
      waits: this.waits.finish(),
      network: this.network.finish(),
      connections: this.connections.finish(),
      memory: { anonymousMmaps: this.anonymousMmaps, fileMmaps: this.fileMmaps, munmaps: this.munmaps, brks: this.brks },
      startup: this.startup.finish(),
      opens: { calls: this.openCalls, creates: this.createOpens },
      syncWrites: this.syncWrites,
      syncWriteNs: this.syncWriteNs,
    };
  }

  private memory(name: string, batch: EventBatch, i: number): void {
    if (name === 'mmap') {
      if ((batch.argNumber(i, 3) & MAP_ANONYMOUS) !== 0 || batch.argInt(i, 4) < 0) this.anonymousMmaps++;
      else this.fileMmaps++;
    } else if (name === 'munmap') this.munmaps++;
    else if (name === 'brk') this.brks++;
  }

  private io(batch: EventBatch, i: number, ns: number, shape: IoShape): boolean {
    const pid = batch.pid[i]!;
    const fd = batch.argInt(i, 0);
    const path = batch.path[i] ?? null;
    const synced = !shape.read && this.flags.synced(pid, fd);
    if (synced) {
      this.syncWrites++;
      this.syncWriteNs += ns;
    }
    let offset = Number.NaN;
    if (shape.offset === 'pos') offset = batch.pos[i]!;
    else if (shape.offset === 'arg3') {
      // a negative loff_t (high word with the sign bit) is "no offset": -1 in preadv2/pwritev2 means the file position
      offset = batch.argHi[3]![i]! >= 0x8000_0000 ? batch.pos[i]! : batch.argNumber(i, 3);
    }
    const ret = batch.ret[i]!;
    const call: IoCall = {
      read: shape.read,
      offset,
      ret,
      requested: shape.sizeArg === null ? Number.NaN : batch.argNumber(i, shape.sizeArg),
      ns,
      synced,
      syscall: batch.syscall[i]!,
    };
    const key = pid * FD_SCALE + (fd >= 0 && fd < FD_SCALE ? fd : FD_SCALE - 1);
    let stream = this.fds.get(key, path, pid, fd);
    if (!this.fds.isOther(stream) && stream.path !== path) {
      // the fd number now stands for another file
      stream = this.fds.get(`${key}:${path ?? ''}`, path, pid, fd);
    }
    const created = this.fds.created;
    const other = this.fds.isOther(stream);
    if (created) stream.fds = 1;
    let sequential: boolean | null = null;
    if (!other && !Number.isNaN(offset) && !Number.isNaN(stream.lastEnd)) sequential = offset === stream.lastEnd;
    stream.add(call, sequential);
    if (!other && ret >= 0) stream.lastEnd = Number.isNaN(offset) ? Number.NaN : offset + ret;
    if (path !== null && isFilePath(path)) {
      const file = this.files.get(path, path, null, null);
      if (created) file.fds++;
      file.add(call, sequential);
    }
    return synced;
  }
}
