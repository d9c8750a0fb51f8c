// Connections followed from the calls on stream sockets (TCP, TCP over IPv6,
// unix stream): socket, connect (blocking, or non-blocking until the process
// first learns the outcome: getsockopt(SO_ERROR) or its first I/O on the
// socket), accept/accept4, reads and writes (read/readv/recv*, write/writev/
// send*, sendfile and splice), shutdown and close. Per process name, direction
// and endpoint (the peer for outbound connections, the listening address for
// inbound ones): connections, connect latency, time to first byte, bytes and
// request/response turns each way, idle gaps, lifetime, how each ended.
//
// What the calls cannot tell, and how it is kept apart:
// - a socket used by a process that did not create it (inherited over fork,
//   passed with SCM_RIGHTS, opened before tracing started) is counted under
//   direction 'unknown', with no connect or first-byte figures: it is never
//   attributed to the connection of the process that made it;
// - a non-blocking connect's latency is an upper bound: it ends when the
//   process looked (getsockopt(SO_ERROR) or its first I/O on the socket);
// - fds copied by dup are not followed (calls on the copy count as 'unknown').
//
// Bounded: at most MAX_OPEN_CONNECTIONS open connections followed at once,
// MAX_CONNECTION_GROUPS groups (then one folded group), and per group at most
// MAX_SAMPLES values kept per latency (a uniform sample beyond).
import type { EventBatch } from '../../model/events.js';
import { BLOCKING_CALL_NS } from './network-facts.js';

// How many connections are followed at once; later ones are counted as untracked.
export const MAX_OPEN_CONNECTIONS = 65536;
// How many (process, direction, endpoint) groups are kept apart; later ones fold into one.
export const MAX_CONNECTION_GROUPS = 512;
// Latencies kept per group and figure (exact percentiles up to this many connections).
export const MAX_SAMPLES = 4096;
// A write this small is held back by Nagle's algorithm while earlier data is unacknowledged.
export const SMALL_WRITE_BYTES = 1448;
// A response this much later than a split request is a delayed-ACK stall
// (Linux's delayed-ACK timer starts at 40 ms and grows to at most 200 ms).
export const NAGLE_STALL_MIN_NS = 36_000_000;
export const NAGLE_STALL_MAX_NS = 220_000_000;

// How a connection ended: closed by the process (first), after the peer's EOF,
// reset (ECONNRESET, EPIPE), timed out, refused, another connect error, closed
// by the process while its non-blocking connect was still in progress
// (abandoned: a client done with its work, not an error), or still open at the end.
export const CONNECTION_OUTCOMES = ['closed', 'peer-closed', 'reset', 'timed-out', 'refused', 'connect-failed', 'abandoned', 'open'] as const;
export type ConnectionOutcome = (typeof CONNECTION_OUTCOMES)[number];

// Who opened the connection: this process (connect), a client (accept), or not seen.
export type ConnectionDirection = 'outbound' | 'inbound' | 'unknown';

// A latency's distribution over a group's connections (nearest-rank percentiles of the kept sample).
export interface LatencySummary {
  readonly count: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  readonly meanNs: number;
}

// Everything about the connections of one (process name, direction, endpoint).
export interface ConnectionGroup {
  readonly comm: string;
  readonly direction: ConnectionDirection;
  // the peer address (outbound, unknown) or the listening address (inbound); null when not seen
  readonly endpoint: string | null;
  // 'tcp', 'tcp6', 'unix', or 'other' for the folded group
  readonly transport: string;
  // connections seen (finished and still open), processes they belong to
  readonly connections: number;
  readonly processes: number;
  readonly outcomes: { readonly [O in ConnectionOutcome]: number };
  // connect latency (outbound); null when no connect completed
  readonly connect: LatencySummary | null;
  // of those, how many were non-blocking (latency measured until the process looked)
  readonly nonBlockingConnects: number;
  // first byte received after establishment (connect done or accept returned)
  readonly firstByteIn: LatencySummary | null;
  // first byte sent after establishment
  readonly firstByteOut: LatencySummary | null;
  // from the end of the first write to the end of the first read after it (outbound: the first response)
  readonly firstResponse: LatencySummary | null;
  // the syscall of the last read that ended a first response (null without any)
  readonly firstResponseSyscall: string | null;
  // open to close, finished connections only
  readonly lifetime: LatencySummary | null;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly reads: number;
  readonly writes: number;
  // request/response turns: outbound a write then a read, inbound a read then a write
  readonly requests: number;
  // the longest gap between two I/O calls on one connection
  readonly maxIdleNs: number;
  // time in the calls that open and close connections: socket, connect, accept
  // (its on-CPU part, or all of it on a non-blocking socket: a blocking accept
  // waits for a client), shutdown, close
  readonly setupNs: number;
  readonly teardownNs: number;
  // most connections open at once
  readonly maxConcurrent: number;
  // Nagle/delayed ACK: requests written in two or more small writes before the
  // response was read, those whose response came NAGLE_STALL_MIN_NS..MAX_NS
  // after the last write, their reads' time, and the requests written in one
  // write with the median wait for their response (null without any)
  readonly splitRequests: number;
  readonly stalls: number;
  readonly stallReadNs: number;
  // of the stalled reads, those on sockets not known non-blocking that took
  // BLOCKING_CALL_NS or more (network-facts.ts counts them as blocking calls too)
  readonly stallBlockingCalls: number;
  readonly stallBlockingNs: number;
  // the syscall of the last stalled read (null without stalls)
  readonly stallSyscall: string | null;
  readonly wholeRequests: number;
  readonly wholeResponseP50Ns: number | null;
  // connections that set TCP_NODELAY
  readonly noDelay: number;
}

// The connection facts of a capture.
export interface ConnectionFacts {
  // by connections, most first
  readonly groups: readonly ConnectionGroup[];
  readonly connections: number;
  // connections whose start was not seen (inherited, passed, or older than the capture)
  readonly unknownOrigin: number;
  // connections not followed because MAX_OPEN_CONNECTIONS were open
  readonly untracked: number;
  // groups folded into the last one (endpoint null, transport 'other')
  readonly foldedGroups: number;
}

// Socket constants (x86_64/asm-generic).
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOL_SOCKET = 1;
const SO_ERROR = 4;
const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const EAGAIN = 11;
const EPIPE = 32;
const ECONNRESET = 104;
const ETIMEDOUT = 110;
const ECONNREFUSED = 111;
const EALREADY = 114;
const EINPROGRESS = 115;
const EISCONN = 106;
const FD_SCALE = 2 ** 24;

const READS: ReadonlySet<string> = new Set(['read', 'readv', 'recvfrom', 'recvmsg', 'recvmmsg']);
const WRITES: ReadonlySet<string> = new Set(['write', 'writev', 'sendto', 'sendmsg', 'sendmmsg']);
const CALLS: ReadonlySet<string> = new Set([
  ...READS,
  ...WRITES,
  'socket',
  'connect',
  'accept',
  'accept4',
  'listen',
  'getsockopt',
  'setsockopt',
  'sendfile',
  'sendfile64',
  'splice',
  'shutdown',
  'close',
  'close_range',
  'dup2',
  'dup3',
]);

// A bounded uniform sample of values (reservoir), deterministic.
class Sample {
  readonly values: number[] = [];
  count = 0;
  sum = 0;
  max = 0;
  private seed = 1;

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
    if (this.values.length < MAX_SAMPLES) {
      this.values.push(v);
      return;
    }
    // xorshift32: the same capture gives the same sample
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    const j = this.seed % this.count;
    if (j < MAX_SAMPLES) this.values[j] = v;
  }

  summary(): LatencySummary | null {
    if (this.count === 0) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
    return { count: this.count, p50Ns: rank(0.5), p99Ns: rank(0.99), maxNs: this.max, meanNs: this.sum / this.count };
  }
}

// One connection being followed.
interface Conn {
  readonly pid: number;
  readonly comm: string;
  direction: ConnectionDirection | 'pending';
  transport: string;
  endpoint: string | null;
  openNs: number;
  connectStartNs: number;
  connectPending: boolean;
  nonBlockingConnect: boolean;
  establishedNs: number;
  failure: ConnectionOutcome | null;
  peerEof: boolean;
  firstInNs: number;
  firstOutNs: number;
  firstWriteEndNs: number;
  firstResponseDone: boolean;
  lastDir: 0 | 1 | 2;
  lastIoEndNs: number;
  // small writes in a row since the last read, and the end of the last
  smallRun: number;
  runOpen: boolean;
  lastWriteEndNs: number;
  group: Group | null;
  setupNs: number;
  teardownNs: number;
  noDelay: boolean;
}

// A group's running totals.
class Group {
  connections = 0;
  readonly pids = new Set<number>();
  readonly outcomes = Object.fromEntries(CONNECTION_OUTCOMES.map((o) => [o, 0])) as Record<ConnectionOutcome, number>;
  readonly connect = new Sample();
  nonBlockingConnects = 0;
  readonly firstIn = new Sample();
  readonly firstOut = new Sample();
  readonly firstResponse = new Sample();
  firstResponseSyscall: string | null = null;
  readonly lifetime = new Sample();
  readonly wholeWaits = new Sample();
  bytesIn = 0;
  bytesOut = 0;
  reads = 0;
  writes = 0;
  requests = 0;
  maxIdleNs = 0;
  setupNs = 0;
  teardownNs = 0;
  open = 0;
  maxConcurrent = 0;
  splitRequests = 0;
  stalls = 0;
  stallReadNs = 0;
  stallBlockingCalls = 0;
  stallBlockingNs = 0;
  stallSyscall: string | null = null;
  noDelay = 0;
  constructor(
    readonly comm: string,
    readonly direction: ConnectionDirection,
    readonly endpoint: string | null,
    readonly transport: string,
  ) {}
}

// "socket:tcp 127.0.0.1:80" -> { transport: 'tcp', address: '127.0.0.1:80' }; null for a non-socket path.
export function socketPathParts(path: string | null): { transport: string; address: string | null } | null {
  if (path === null || !path.startsWith('socket:')) return null;
  const space = path.indexOf(' ');
  const transport = path.slice(7, space < 0 ? undefined : space);
  const address = space < 0 ? null : path.slice(space + 1);
  return { transport, address: address === '' ? null : address };
}

// transports whose connections are followed when their creation was not seen
function streamTransport(transport: string): boolean {
  return transport === 'tcp' || transport === 'tcp6' || transport === 'inet' || transport === 'inet6';
}

// Follows connections row by row (fed in time order by FactsCollector).
export class ConnectionCollector {
  private readonly open = new Map<number, Conn>();
  private readonly groups = new Map<string, Group>();
  private folded: Group | null = null;
  private foldedGroups = 0;
  private connections = 0;
  private unknownOrigin = 0;
  private untracked = 0;

  // Whether a syscall can matter to a connection.
  static wants(name: string): boolean {
    return CALLS.has(name);
  }

  // Looks at row i (its duration `ns`); `nonBlocking` says whether an fd of the process is known non-blocking.
  observe(batch: EventBatch, i: number, ns: number, nonBlocking: (pid: number, fd: number) => boolean): void {
    const name = batch.syscall[i]!;
    const pid = batch.pid[i]!;
    const ret = batch.ret[i]!;
    const start = batch.startNs[i]!;
    const end = start + ns;
    if (READS.has(name) || WRITES.has(name)) {
      const fd = batch.argInt(i, 0);
      const conn = this.open.get(key(pid, fd)) ?? this.unknown(batch, i, fd);
      if (conn !== null) this.io(conn, READS.has(name), ret, start, end, ns, ns >= BLOCKING_CALL_NS && !nonBlocking(pid, fd), name);
      return;
    }
    switch (name) {
      case 'socket': {
        if (ret < 0) return;
        const family = batch.argInt(i, 0);
        if ((batch.argInt(i, 1) & 0xf) !== SOCK_STREAM || (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX)) return;
        this.finishAt(pid, ret, end);
        const transport = family === AF_UNIX ? 'unix' : family === AF_INET6 ? 'tcp6' : 'tcp';
        const conn = this.start(pid, ret, batch.comm[i] ?? '', 'pending', transport, null, start);
        if (conn !== null) conn.setupNs += ns;
        return;
      }
      case 'listen':
        this.open.delete(key(pid, batch.argInt(i, 0)));
        return;
      case 'connect':
        this.connect(batch, i, ns, start, end, nonBlocking);
        return;
      case 'accept':
      case 'accept4': {
        const listening = batch.argInt(i, 0);
        // a listening socket is no connection
        this.open.delete(key(pid, listening));
        if (ret < 0) return;
        this.finishAt(pid, ret, end);
        const parts = socketPathParts(batch.path[i] ?? null);
        const conn = this.start(pid, ret, batch.comm[i] ?? '', 'inbound', parts?.transport ?? 'tcp', parts?.address ?? null, start);
        if (conn === null) return;
        const off = batch.offCpuNs[i]!;
        // a blocking accept waits for a client: only its work is a cost
        conn.setupNs += !Number.isNaN(off) ? Math.max(0, ns - off) : nonBlocking(pid, listening) ? ns : 0;
        conn.establishedNs = end;
        this.attach(conn);
        return;
      }
      case 'getsockopt': {
        const conn = this.open.get(key(pid, batch.argInt(i, 0)));
        if (conn !== undefined && conn.connectPending && batch.argInt(i, 1) === SOL_SOCKET && batch.argInt(i, 2) === SO_ERROR && ret === 0) this.established(conn, end);
        return;
      }
      case 'setsockopt': {
        const conn = this.open.get(key(pid, batch.argInt(i, 0)));
        if (conn !== undefined && ret === 0 && batch.argInt(i, 1) === IPPROTO_TCP && batch.argInt(i, 2) === TCP_NODELAY) conn.noDelay = true;
        return;
      }
      case 'sendfile':
      case 'sendfile64': {
        const conn = this.open.get(key(pid, batch.argInt(i, 0)));
        if (conn !== undefined) this.io(conn, false, ret, start, end, ns);
        return;
      }
      case 'splice': {
        const into = this.open.get(key(pid, batch.argInt(i, 2)));
        const from = this.open.get(key(pid, batch.argInt(i, 0)));
        if (into !== undefined) this.io(into, false, ret, start, end, ns);
        else if (from !== undefined) this.io(from, true, ret, start, end, ns);
        return;
      }
      case 'shutdown': {
        const conn = this.open.get(key(pid, batch.argInt(i, 0)));
        if (conn !== undefined) conn.teardownNs += ns;
        return;
      }
      case 'close': {
        const conn = this.open.get(key(pid, batch.argInt(i, 0)));
        if (conn !== undefined) {
          conn.teardownNs += ns;
          this.end(key(pid, batch.argInt(i, 0)), conn, end, false);
        }
        return;
      }
      case 'close_range': {
        if (ret !== 0 || (batch.argNumber(i, 2) & 4) !== 0) return;
        const first = batch.argLo[0]![i]!;
        const last = batch.argLo[1]![i]!;
        for (const [k, conn] of [...this.open]) {
          const fd = k - pid * FD_SCALE;
          if (conn.pid === pid && fd >= first && fd <= last) this.end(k, conn, end, false);
        }
        return;
      }
      case 'dup2':
      case 'dup3':
        // the target fd is closed first
        if (ret >= 0 && batch.argInt(i, 0) !== batch.argInt(i, 1)) this.finishAt(pid, batch.argInt(i, 1), end);
        return;
      default:
        return;
    }
  }

  // The facts; connections still open count as 'open'.
  finish(): ConnectionFacts {
    for (const [key, c] of [...this.open]) this.end(key, c, Number.NaN, true);
    const groups = [...this.groups.values()];
    if (this.folded !== null) groups.push(this.folded);
    return {
      groups: groups
        .filter((g) => g.connections > 0)
        .map(groupFacts)
        .sort((a, b) => b.connections - a.connections || (a.endpoint ?? '').localeCompare(b.endpoint ?? '') || a.comm.localeCompare(b.comm)),
      connections: this.connections,
      unknownOrigin: this.unknownOrigin,
      untracked: this.untracked,
      foldedGroups: this.foldedGroups,
    };
  }

  private connect(batch: EventBatch, i: number, ns: number, start: number, end: number, nonBlocking: (pid: number, fd: number) => boolean): void {
    const pid = batch.pid[i]!;
    const fd = batch.argInt(i, 0);
    const ret = batch.ret[i]!;
    const conn = this.open.get(key(pid, fd));
    // a socket created before the capture, or not a stream socket
    if (conn === undefined) return;
    conn.setupNs += ns;
    const parts = socketPathParts(batch.path[i] ?? null);
    if (conn.direction === 'pending') {
      conn.direction = 'outbound';
      if (parts?.address !== null && parts !== null) conn.endpoint = parts.address;
      conn.connectStartNs = start;
      this.attach(conn);
    }
    if (ret === 0) {
      this.established(conn, end);
      return;
    }
    if (ret === -EINPROGRESS || ret === -EALREADY || ret === -EAGAIN) {
      conn.connectPending = true;
      conn.nonBlockingConnect = conn.nonBlockingConnect || ret === -EINPROGRESS || nonBlocking(pid, fd);
      return;
    }
    if (ret === -EISCONN) {
      if (conn.connectPending) this.established(conn, start);
      return;
    }
    if (ret < 0 && Number.isNaN(conn.establishedNs)) {
      conn.connectPending = false;
      conn.failure = ret === -ECONNREFUSED ? 'refused' : ret === -ETIMEDOUT ? 'timed-out' : 'connect-failed';
    }
  }

  // a socket used without its creation seen (inherited, passed, older than the capture)
  private unknown(batch: EventBatch, i: number, fd: number): Conn | null {
    const parts = socketPathParts(batch.path[i] ?? null);
    if (parts === null || !streamTransport(parts.transport)) return null;
    const conn = this.start(batch.pid[i]!, fd, batch.comm[i] ?? '', 'unknown', parts.transport, parts.address, Number.NaN);
    if (conn === null) return null;
    this.unknownOrigin++;
    this.attach(conn);
    return conn;
  }

  private start(pid: number, fd: number, comm: string, direction: Conn['direction'], transport: string, endpoint: string | null, openNs: number): Conn | null {
    if (fd < 0 || fd >= FD_SCALE) return null;
    if (this.open.size >= MAX_OPEN_CONNECTIONS) {
      if (direction !== 'pending') this.untracked++;
      return null;
    }
    const conn: Conn = {
      pid,
      comm,
      direction,
      transport,
      endpoint,
      openNs,
      connectStartNs: Number.NaN,
      connectPending: false,
      nonBlockingConnect: false,
      establishedNs: Number.NaN,
      failure: null,
      peerEof: false,
      firstInNs: Number.NaN,
      firstOutNs: Number.NaN,
      firstWriteEndNs: Number.NaN,
      firstResponseDone: false,
      lastDir: 0,
      lastIoEndNs: Number.NaN,
      smallRun: 0,
      runOpen: false,
      lastWriteEndNs: Number.NaN,
      group: null,
      setupNs: 0,
      teardownNs: 0,
      noDelay: false,
    };
    this.open.set(key(pid, fd), conn);
    return conn;
  }

  // counts a connection in its group once its direction is known
  private attach(conn: Conn): void {
    if (conn.group !== null || conn.direction === 'pending') return;
    const direction = conn.direction;
    const k = `${conn.comm}\0${direction}\0${conn.transport}\0${conn.endpoint ?? ''}`;
    let group = this.groups.get(k);
    if (group === undefined) {
      if (this.groups.size < MAX_CONNECTION_GROUPS) {
        group = new Group(conn.comm, direction, conn.endpoint, conn.transport);
        this.groups.set(k, group);
      } else {
        this.foldedGroups++;
        this.folded ??= new Group('', 'unknown', null, 'other');
        group = this.folded;
      }
    }
    conn.group = group;
    group.connections++;
    this.connections++;
    if (group.pids.size < MAX_SAMPLES) group.pids.add(conn.pid);
    group.open++;
    if (group.open > group.maxConcurrent) group.maxConcurrent = group.open;
  }

  private established(conn: Conn, atNs: number): void {
    conn.connectPending = false;
    if (!Number.isNaN(conn.establishedNs)) return;
    conn.establishedNs = atNs;
    if (conn.group !== null && !Number.isNaN(conn.connectStartNs)) {
      conn.group.connect.add(Math.max(0, atNs - conn.connectStartNs));
      if (conn.nonBlockingConnect) conn.group.nonBlockingConnects++;
    }
  }

  // `blocking`: a call of BLOCKING_CALL_NS or more on a socket not known non-blocking
  private io(conn: Conn, read: boolean, ret: number, start: number, end: number, ns: number, blocking = false, name: string | null = null): void {
    const g = conn.group;
    if (g === null) return;
    if (ret < 0) {
      if (ret === -ECONNRESET || ret === -EPIPE) conn.failure ??= 'reset';
      else if (ret === -ETIMEDOUT) conn.failure ??= 'timed-out';
      return;
    }
    if (read && ret === 0) {
      conn.peerEof = true;
      return;
    }
    // a non-blocking connect is done by the time the process reads or writes through it
    if (conn.connectPending) this.established(conn, start);
    if (!Number.isNaN(conn.lastIoEndNs) && start - conn.lastIoEndNs > g.maxIdleNs) g.maxIdleNs = start - conn.lastIoEndNs;
    conn.lastIoEndNs = end;
    const since = conn.establishedNs;
    if (read) {
      g.reads++;
      g.bytesIn += ret;
      if (Number.isNaN(conn.firstInNs)) {
        conn.firstInNs = end;
        if (!Number.isNaN(since)) g.firstIn.add(Math.max(0, end - since));
      }
      if (!conn.firstResponseDone && !Number.isNaN(conn.firstWriteEndNs)) {
        conn.firstResponseDone = true;
        g.firstResponse.add(Math.max(0, end - conn.firstWriteEndNs));
        g.firstResponseSyscall = name ?? g.firstResponseSyscall;
      }
      if (conn.lastDir === 2) {
        if (conn.direction !== 'inbound') g.requests++;
        if (conn.runOpen && !conn.noDelay) {
          const wait = end - conn.lastWriteEndNs;
          if (conn.smallRun >= 2) {
            g.splitRequests++;
            if (wait >= NAGLE_STALL_MIN_NS && wait <= NAGLE_STALL_MAX_NS) {
              g.stalls++;
              g.stallReadNs += ns;
              g.stallSyscall = name ?? g.stallSyscall;
              if (blocking) {
                g.stallBlockingCalls++;
                g.stallBlockingNs += ns;
              }
            }
          } else if (conn.smallRun === 1) g.wholeWaits.add(wait);
        }
      }
      conn.smallRun = 0;
      conn.runOpen = false;
      conn.lastDir = 1;
      return;
    }
    g.writes++;
    g.bytesOut += ret;
    if (Number.isNaN(conn.firstOutNs)) {
      conn.firstOutNs = end;
      conn.firstWriteEndNs = end;
      if (!Number.isNaN(since)) g.firstOut.add(Math.max(0, end - since));
    }
    if (conn.lastDir === 1 && conn.direction === 'inbound') g.requests++;
    if (conn.lastDir !== 2) {
      conn.smallRun = 0;
      conn.runOpen = true;
    }
    // a large write sends at once: only a run of small writes can be held back
    if (ret < SMALL_WRITE_BYTES && conn.runOpen) conn.smallRun++;
    else conn.runOpen = false;
    conn.lastWriteEndNs = end;
    conn.lastDir = 2;
  }

  private finishAt(pid: number, fd: number, endNs: number): void {
    const conn = this.open.get(key(pid, fd));
    if (conn !== undefined) this.end(key(pid, fd), conn, endNs, false);
  }

  // ends a connection: closed at endNs, or still open at the end of the capture
  private end(k: number, conn: Conn, endNs: number, stillOpen: boolean): void {
    this.open.delete(k);
    const g = conn.group;
    if (g === null) return;
    g.open--;
    const outcome: ConnectionOutcome = conn.failure ?? (stillOpen ? 'open' : conn.peerEof ? 'peer-closed' : conn.connectPending ? 'abandoned' : 'closed');
    g.outcomes[outcome]++;
    if (!stillOpen && !Number.isNaN(conn.openNs)) g.lifetime.add(Math.max(0, endNs - conn.openNs));
    g.setupNs += conn.setupNs;
    g.teardownNs += conn.teardownNs;
    if (conn.noDelay) g.noDelay++;
  }
}

function key(pid: number, fd: number): number {
  return pid * FD_SCALE + fd;
}

function groupFacts(g: Group): ConnectionGroup {
  return {
    comm: g.comm,
    direction: g.direction,
    endpoint: g.endpoint,
    transport: g.transport,
    connections: g.connections,
    processes: g.pids.size,
    outcomes: { ...g.outcomes },
    connect: g.connect.summary(),
    nonBlockingConnects: g.nonBlockingConnects,
    firstByteIn: g.firstIn.summary(),
    firstByteOut: g.firstOut.summary(),
    firstResponse: g.firstResponse.summary(),
    firstResponseSyscall: g.firstResponseSyscall,
    lifetime: g.lifetime.summary(),
    bytesIn: g.bytesIn,
    bytesOut: g.bytesOut,
    reads: g.reads,
    writes: g.writes,
    requests: g.requests,
    maxIdleNs: g.maxIdleNs,
    setupNs: g.setupNs,
    teardownNs: g.teardownNs,
    maxConcurrent: g.maxConcurrent,
    splitRequests: g.splitRequests,
    stalls: g.stalls,
    stallReadNs: g.stallReadNs,
    stallBlockingCalls: g.stallBlockingCalls,
    stallBlockingNs: g.stallBlockingNs,
    stallSyscall: g.stallSyscall,
    wholeRequests: g.wholeWaits.count,
    wholeResponseP50Ns: g.wholeWaits.summary()?.p50Ns ?? null,
    noDelay: g.noDelay,
  };
}
