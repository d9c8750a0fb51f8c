// Facts about waiting calls: polls that returned nothing at once (busy polling)
// and futex waits (lock contention). Bounded: futex addresses are kept up to
// MAX_FUTEX_ADDRESSES, waiting threads counted up to MAX_COUNTED_THREADS
// (MAX_ADDRESS_THREADS per address).
import type { EventBatch } from '../../model/events.js';

// A poll whose timeout is behind a pointer (ppoll, select, pselect6,
// epoll_pwait2) is taken to have had a zero timeout when it returned 0 within
// this long: a non-zero timeout that expires takes at least that timeout plus
// the timer slack (50 us by default).
export const ZERO_TIMEOUT_MAX_NS = 50_000;

// futex operations (the op argument masked with 0x7f: no PRIVATE/CLOCK_REALTIME flags).
export const FUTEX_CMD_MASK = 0x7f;
export const FUTEX_WAIT = 0;
export const FUTEX_WAKE = 1;
export const FUTEX_WAIT_BITSET = 9;
export const FUTEX_WAKE_BITSET = 10;

// A futex wait at least this long is a long wait (longer than a lock handover).
export const FUTEX_LONG_WAIT_NS = 100_000;

// The op bit of process-private futexes.
const FUTEX_PRIVATE_FLAG = 128;

// How many possible joins and exited threads are kept.
const MAX_JOIN_CANDIDATES = 4096;
const MAX_EXITED_THREADS = 65536;

// How many futex addresses are kept apart.
export const MAX_FUTEX_ADDRESSES = 1024;
// How many distinct threads are counted (then "at least"), overall and per futex word.
export const MAX_COUNTED_THREADS = 4096;
export const MAX_ADDRESS_THREADS = 256;

// Where the timeout of each poll-family call is: an int in ms (argument k), or behind a pointer.
const POLLS: ReadonlyMap<string, { readonly msArg: number } | 'pointer'> = new Map<string, { readonly msArg: number } | 'pointer'>([
  ['epoll_wait', { msArg: 3 }],
  ['epoll_pwait', { msArg: 3 }],
  ['poll', { msArg: 2 }],
  ['epoll_pwait2', 'pointer'],
  ['ppoll', 'pointer'],
  ['select', 'pointer'],
  ['pselect6', 'pointer'],
]);

// Polls of one syscall.
export interface PollStats {
  readonly syscall: string;
  readonly calls: number;
  // returned 0 with a zero timeout (known from the argument, or inferred: see ZERO_TIMEOUT_MAX_NS)
  readonly emptyZeroTimeout: number;
  readonly emptyZeroTimeoutNs: number;
  // of those, how many were inferred from a quick return rather than read from the argument
  readonly inferred: number;
  // per thread, first empty zero-timeout poll's start to the last one's end, summed over threads
  readonly spinSpanNs: number;
  // threads with an empty zero-timeout poll
  readonly threads: number;
}

// Waits on one futex word.
export interface FutexAddressStats {
  readonly pid: number;
  // the futex word's address (hex)
  readonly address: string;
  readonly waits: number;
  readonly waitNs: number;
  readonly longWaits: number;
  readonly longWaitNs: number;
  // distinct threads that waited on it (up to MAX_ADDRESS_THREADS)
  readonly threads: number;
}

// The futex facts of a capture.
export interface FutexFacts {
  // FUTEX_WAIT / FUTEX_WAIT_BITSET calls and their time
  readonly waits: number;
  readonly waitNs: number;
  // waits of at least FUTEX_LONG_WAIT_NS
  readonly longWaits: number;
  readonly longWaitNs: number;
  // waits that timed out (ETIMEDOUT): timed sleeps on a condition, not locks
  readonly timedOut: number;
  // FUTEX_WAKE / FUTEX_WAKE_BITSET calls
  readonly wakes: number;
  // distinct threads with a long wait
  readonly longWaitThreads: number;
  // thread joins, left out of the long waits above: glibc's pthread_join waits
  // on the joined thread's id word (a shared futex, the id as the expected
  // value) until the kernel clears it at the thread's exit
  readonly joins: number;
  readonly joinNs: number;
  // by long wait time, most first (at most MAX_FUTEX_ADDRESSES are kept)
  readonly addresses: readonly FutexAddressStats[];
}

// Empty zero-timeout polls of every poll syscall together, per thread (a loop
// often spins on several, e.g. epoll_wait then poll: their spans overlap).
export interface PollSpin {
  // per thread, first empty zero-timeout poll's start to the last one's end, summed over threads
  readonly spanNs: number;
  // threads with an empty zero-timeout poll
  readonly threads: number;
}

// The waiting facts of a capture.
export interface WaitFacts {
  readonly polls: readonly PollStats[];
  readonly spin: PollSpin;
  readonly futex: FutexFacts;
}

const ETIMEDOUT_RET = -110;

interface PollAcc {
  calls: number;
  empty: number;
  emptyNs: number;
  inferred: number;
  // per thread: first start and last end of its empty zero-timeout polls
  spans: Map<number, { first: number; last: number }>;
}

class AddressAcc {
  waits = 0;
  waitNs = 0;
  longWaits = 0;
  longWaitNs = 0;
  readonly threads = new Set<number>();
  constructor(
    readonly pid: number,
    readonly address: number,
  ) {}
}

// A long wait that was a thread join if a thread with id `value` of process `pid` exited.
interface JoinCandidate {
  readonly pid: number;
  readonly tid: number;
  readonly value: number;
  readonly address: number;
  readonly ns: number;
}

// Collects poll and futex facts from rows.
export class WaitCollector {
  private readonly polls = new Map<string, PollAcc>();
  // per thread over all poll syscalls: first start and last end of its empty zero-timeout polls
  private readonly spins = new Map<number, { first: number; last: number }>();
  private waits = 0;
  private waitNs = 0;
  private longWaits = 0;
  private longWaitNs = 0;
  private timedOut = 0;
  private wakes = 0;
  // long waits per thread (threads up to MAX_COUNTED_THREADS)
  private readonly longThreads = new Map<number, number>();
  private readonly addresses = new Map<string, AddressAcc>();
  // long shared-futex waits whose expected value may be a thread id, and the threads seen exiting ("pid:tid")
  private readonly joinCandidates: JoinCandidate[] = [];
  private readonly exited = new Set<string>();

  // Whether a syscall is something this collector looks at.
  static wants(syscall: string): boolean {
    return syscall === 'futex' || syscall === 'exit' || POLLS.has(syscall);
  }

  // Looks at row i (its duration `ns`).
  observe(batch: EventBatch, i: number, ns: number): void {
    const name = batch.syscall[i]!;
    if (name === 'futex') {
      this.futex(batch, i, ns);
      return;
    }
    if (name === 'exit') {
      // a thread's end (exit_group ends the process, which no thread of it joins)
      if (this.exited.size < MAX_EXITED_THREADS) this.exited.add(`${batch.pid[i]}:${batch.tid[i]}`);
      return;
    }
    const timeout = POLLS.get(name);
    if (timeout === undefined) return;
    let p = this.polls.get(name);
    if (p === undefined) {
      p = { calls: 0, empty: 0, emptyNs: 0, inferred: 0, spans: new Map() };
      this.polls.set(name, p);
    }
    p.calls++;
    if (batch.ret[i] !== 0) return;
    const zero = timeout === 'pointer' ? ns <= ZERO_TIMEOUT_MAX_NS : batch.argInt(i, timeout.msArg) === 0;
    if (!zero) return;
    p.empty++;
    p.emptyNs += ns;
    if (timeout === 'pointer') p.inferred++;
    const tid = batch.tid[i]!;
    const start = batch.startNs[i]!;
    widen(p.spans, tid, start, start + ns);
    widen(this.spins, tid, start, start + ns);
  }

  finish(): WaitFacts {
    const polls = [...this.polls].map(([syscall, p]) => ({
      syscall,
      calls: p.calls,
      emptyZeroTimeout: p.empty,
      emptyZeroTimeoutNs: p.emptyNs,
      inferred: p.inferred,
      spinSpanNs: spanSum(p.spans),
      threads: p.spans.size,
    }));
    polls.sort((a, b) => b.emptyZeroTimeout - a.emptyZeroTimeout || (a.syscall < b.syscall ? -1 : 1));
    const addresses: FutexAddressStats[] = [...this.addresses.values()]
      .map((a) => ({
        pid: a.pid,
        address: `0x${a.address.toString(16)}`,
        waits: a.waits,
        waitNs: a.waitNs,
        longWaits: a.longWaits,
        longWaitNs: a.longWaitNs,
        threads: a.threads.size,
      }))
      .sort(byLongWait);
    const j = this.joins(addresses);
    return {
      polls,
      spin: { spanNs: spanSum(this.spins), threads: this.spins.size },
      futex: {
        waits: this.waits,
        waitNs: this.waitNs,
        longWaits: this.longWaits - j.joins,
        longWaitNs: this.longWaitNs - j.joinNs,
        timedOut: this.timedOut,
        wakes: this.wakes,
        longWaitThreads: j.threads,
        joins: j.joins,
        joinNs: j.joinNs,
        addresses: j.addresses,
      },
    };
  }

  // The long waits that were thread joins (their expected value is the id of a
  // thread of the same process that exited), and the long-wait threads and
  // addresses without them.
  private joins(addresses: readonly FutexAddressStats[]): { joins: number; joinNs: number; threads: number; addresses: FutexAddressStats[] } {
    const perThread = new Map(this.longThreads);
    const perAddress = new Map<string, { n: number; ns: number }>();
    let joins = 0;
    let joinNs = 0;
    for (const c of this.joinCandidates) {
      if (!this.exited.has(`${c.pid}:${c.value}`)) continue;
      joins++;
      joinNs += c.ns;
      const t = perThread.get(c.tid);
      if (t !== undefined) perThread.set(c.tid, t - 1);
      const key = `${c.pid}:0x${c.address.toString(16)}`;
      const a = perAddress.get(key) ?? { n: 0, ns: 0 };
      perAddress.set(key, { n: a.n + 1, ns: a.ns + c.ns });
    }
    let threads = 0;
    for (const n of perThread.values()) if (n > 0) threads++;
    const out = addresses.map((a) => {
      const d = perAddress.get(`${a.pid}:${a.address}`);
      return d === undefined ? a : { ...a, longWaits: a.longWaits - d.n, longWaitNs: a.longWaitNs - d.ns };
    });
    if (perAddress.size > 0) out.sort(byLongWait);
    return { joins, joinNs, threads, addresses: out };
  }

  private futex(batch: EventBatch, i: number, ns: number): void {
    const rawOp = batch.argLo[1]![i]!;
    const op = rawOp & FUTEX_CMD_MASK;
    if (op === FUTEX_WAKE || op === FUTEX_WAKE_BITSET) {
      this.wakes++;
      return;
    }
    if (op !== FUTEX_WAIT && op !== FUTEX_WAIT_BITSET) return;
    const ret = batch.ret[i]!;
    this.waits++;
    this.waitNs += ns;
    if (ret === ETIMEDOUT_RET) this.timedOut++;
    const long = ns >= FUTEX_LONG_WAIT_NS && ret !== ETIMEDOUT_RET;
    const tid = batch.tid[i]!;
    const pid = batch.pid[i]!;
    const address = batch.argNumber(i, 0);
    if (long) {
      this.longWaits++;
      this.longWaitNs += ns;
      const n = this.longThreads.get(tid);
      if (n !== undefined) this.longThreads.set(tid, n + 1);
      else if (this.longThreads.size < MAX_COUNTED_THREADS) this.longThreads.set(tid, 1);
      // a shared futex whose expected value could be a thread id: perhaps a join
      const value = batch.argLo[2]![i]! >>> 0;
      if ((rawOp & FUTEX_PRIVATE_FLAG) === 0 && value > 0 && value !== tid && this.joinCandidates.length < MAX_JOIN_CANDIDATES) {
        this.joinCandidates.push({ pid, tid, value, address, ns });
      }
    }
    const key = `${pid}:${address}`;
    let a = this.addresses.get(key);
    if (a === undefined) {
      if (this.addresses.size >= MAX_FUTEX_ADDRESSES) return;
      a = new AddressAcc(pid, address);
      this.addresses.set(key, a);
    }
    a.waits++;
    a.waitNs += ns;
    if (long) {
      a.longWaits++;
      a.longWaitNs += ns;
    }
    if (a.threads.size < MAX_ADDRESS_THREADS) a.threads.add(tid);
  }
}

// Widens a thread's span to cover [start, end] (new threads up to MAX_COUNTED_THREADS).
function widen(spans: Map<number, { first: number; last: number }>, tid: number, start: number, end: number): void {
  const span = spans.get(tid);
  if (span !== undefined) {
    span.first = Math.min(span.first, start);
    span.last = Math.max(span.last, end);
  } else if (spans.size < MAX_COUNTED_THREADS) spans.set(tid, { first: start, last: end });
}

function spanSum(spans: ReadonlyMap<number, { first: number; last: number }>): number {
  let ns = 0;
  for (const s of spans.values()) ns += s.last - s.first;
  return ns;
}

// Futex words by long wait time, most first; then by all wait time, pid and address.
function byLongWait(a: FutexAddressStats, b: FutexAddressStats): number {
  return b.longWaitNs - a.longWaitNs || b.waitNs - a.waitNs || a.pid - b.pid || (a.address < b.address ? -1 : 1);
}
