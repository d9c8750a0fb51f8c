// Blocking network calls: sends, receives and connects on sockets not known to
// be non-blocking (O_NONBLOCK / SOCK_NONBLOCK, see fd-flags.ts) that took at
// least BLOCKING_CALL_NS. accept() is left out: waiting for a client is idle
// time, not work held up. Bounded: sockets counted up to MAX_COUNTED_SOCKETS.

// A network call at least this long blocked (a round trip on a LAN is well below).
export const BLOCKING_CALL_NS = 1_000_000;
// How many distinct sockets are counted (then "at least").
export const MAX_COUNTED_SOCKETS = 4096;

// Network syscalls that can block on the peer.
const NETWORK_CALLS: ReadonlySet<string> = new Set(['connect', 'recvfrom', 'recvmsg', 'recvmmsg', 'sendto', 'sendmsg', 'sendmmsg']);
// read/write calls count when their fd is a socket
const FD_CALLS: ReadonlySet<string> = new Set(['read', 'readv', 'write', 'writev']);

// Blocking calls of one syscall.
export interface BlockingCallStats {
  readonly syscall: string;
  readonly calls: number;
  readonly totalNs: number;
}

// The network facts of a capture.
export interface NetworkFacts {
  // calls on sockets (NETWORK_CALLS, and read/write on a socket)
  readonly calls: number;
  // of those, on sockets known to be non-blocking
  readonly nonBlockingCalls: number;
  // blocking calls (see the file comment) and their time
  readonly blockingCalls: number;
  readonly blockingNs: number;
  // distinct sockets (pid, fd) with a blocking call
  readonly blockingSockets: number;
  // distinct threads with a blocking call
  readonly blockingThreads: number;
  // by time, most first
  readonly bySyscall: readonly BlockingCallStats[];
}

// Collects network facts; the caller says whether the fd is non-blocking.
export class NetworkCollector {
  private calls = 0;
  private nonBlockingCalls = 0;
  private blockingCalls = 0;
  private blockingNs = 0;
  private readonly sockets = new Set<string>();
  private readonly threads = new Set<number>();
  private readonly bySyscall = new Map<string, { calls: number; ns: number }>();

  // Whether a call (with the path of its fd) is a network call this collector counts.
  static counts(syscall: string, path: string | null): boolean {
    return NETWORK_CALLS.has(syscall) || (FD_CALLS.has(syscall) && path !== null && path.startsWith('socket'));
  }

  // Adds one network call.
  add(syscall: string, pid: number, tid: number, fd: number, ns: number, nonBlocking: boolean): void {
    this.calls++;
    if (nonBlocking) {
      this.nonBlockingCalls++;
      return;
    }
    if (ns < BLOCKING_CALL_NS) return;
    this.blockingCalls++;
    this.blockingNs += ns;
    if (this.sockets.size < MAX_COUNTED_SOCKETS) this.sockets.add(`${pid}:${fd}`);
    if (this.threads.size < MAX_COUNTED_SOCKETS) this.threads.add(tid);
    const s = this.bySyscall.get(syscall) ?? { calls: 0, ns: 0 };
    s.calls++;
    s.ns += ns;
    this.bySyscall.set(syscall, s);
  }

  finish(): NetworkFacts {
    return {
      calls: this.calls,
      nonBlockingCalls: this.nonBlockingCalls,
      blockingCalls: this.blockingCalls,
      blockingNs: this.blockingNs,
      blockingSockets: this.sockets.size,
      blockingThreads: this.threads.size,
      bySyscall: [...this.bySyscall]
        .map(([syscall, s]) => ({ syscall, calls: s.calls, totalNs: s.ns }))
        .sort((a, b) => b.totalNs - a.totalNs || (a.syscall < b.syscall ? -1 : 1)),
    };
  }
}
