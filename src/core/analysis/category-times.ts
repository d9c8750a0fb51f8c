// Time by I/O category: where the non-waiting time goes, and the bottleneck.
import { CATEGORIES, isWaiting, type Category } from '../model/categories.js';
import { ioUringCategory, type IoUringProfile } from '../model/io-uring.js';
import type { SyscallAggregate } from './aggregate.js';
import { ioUringRowName } from './io-uring-aggregate.js';

// What the category table reads of an aggregate: each row's name and category parts.
export interface CategorySource {
  readonly syscalls: readonly Pick<SyscallAggregate, 'name' | 'categories'>[];
}

// One category's calls and time.
export interface CategoryTime {
  readonly category: Category;
  // waiting, not working (epoll_wait, futex, nanosleep...): no share, never the bottleneck
  readonly waiting: boolean;
  readonly calls: number;
  readonly totalNs: number;
  // totalNs / all non-waiting time; null for waiting or when there is no non-waiting time
  readonly share: number | null;
  // the non-waiting category with the most time, when it is a meaningful share of the threads' time
  readonly bottleneck: boolean;
  // its syscalls by time in it, most first
  readonly syscalls: readonly string[];
  // of totalNs, off the CPU (blocked or runnable) and of that runnable-waiting
  // for a CPU; null when the capture does not say (sums over calls that say)
  readonly offCpuNs: number | null;
  readonly runqNs: number | null;
}

// A working category is marked the bottleneck only with at least this share of the threads' working time.
export const BOTTLENECK_SHARE = 0.1;

// Categories with calls: non-waiting ones by time (most first), then waiting.
// The bottleneck is the working category with the most time, when that time is
// at least BOTTLENECK_SHARE of the threads' working time `workNs` (the
// verdict's, when known): syscalls that take 1% of a CPU-bound build's time are
// not where it goes. Time blocked on pipes, event fds and terminals ('other')
// is waiting for the other end: 'other' is weighed by its on-CPU time only.
export function categoryTimes(aggregate: CategorySource, workNs: number | null = null): CategoryTime[] {
  const calls = new Map<Category, number>();
  const ns = new Map<Category, number>();
  const members = new Map<Category, Array<[string, number]>>();
  const off = new Map<Category, number>();
  const runq = new Map<Category, number>();
  for (const s of aggregate.syscalls) {
    for (const part of s.categories) {
      if (part.calls === 0) continue;
      if (part.offCpuNs !== null) off.set(part.category, (off.get(part.category) ?? 0) + part.offCpuNs);
      if (part.runqNs !== null) runq.set(part.category, (runq.get(part.category) ?? 0) + part.runqNs);
      calls.set(part.category, (calls.get(part.category) ?? 0) + part.calls);
      ns.set(part.category, (ns.get(part.category) ?? 0) + part.totalNs);
      const list = members.get(part.category) ?? [];
      list.push([s.name, part.totalNs]);
      members.set(part.category, list);
    }
  }
  const working = CATEGORIES.filter((c) => !isWaiting(c) && calls.has(c));
  const workingNs = working.reduce((n, c) => n + ns.get(c)!, 0);
  const order = [...working].sort((a, b) => ns.get(b)! - ns.get(a)! || CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b));
  // a category's time that counts for the bottleneck
  const weight = (c: Category): number => (c === 'other' && off.has(c) ? Math.max(0, ns.get(c)! - off.get(c)!) : ns.get(c)!);
  const top = [...working].sort((a, b) => weight(b) - weight(a) || CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b))[0];
  const bottleneck = workingNs > 0 && top !== undefined && weight(top) > 0 && (workNs === null || weight(top) >= BOTTLENECK_SHARE * workNs) ? top : undefined;
  const waiting = CATEGORIES.filter((c) => isWaiting(c) && calls.has(c));
  return [...order, ...waiting].map((category) => ({
    category,
    waiting: isWaiting(category),
    calls: calls.get(category)!,
    totalNs: ns.get(category)!,
    share: isWaiting(category) || workingNs === 0 ? null : ns.get(category)! / workingNs,
    bottleneck: category === bottleneck,
    syscalls: members
      .get(category)!
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([name]) => name),
    offCpuNs: off.get(category) ?? null,
    runqNs: runq.get(category) ?? null,
  }));
}

// All time outside waiting categories.
export function workingNs(times: readonly CategoryTime[]): number {
  return times.reduce((n, c) => (c.waiting ? n : n + c.totalNs), 0);
}

// The aggregate's rows plus one per io_uring opcode ("io_uring read", in its
// opcode's category: a read is a disk read). For the category table only, not
// the verdict: the submitting thread waits for its requests in io_uring_enter
// (a waiting syscall) or does other work meanwhile.
export function withIoUring(aggregate: CategorySource, ioUring: IoUringProfile | null | undefined): CategorySource {
  const requests = (ioUring?.ops ?? [])
    .filter((o) => o.count > 0)
    .map((o) => ({ name: ioUringRowName(o.op), categories: [{ category: ioUringCategory(o.op), calls: o.count, totalNs: o.totalNs, offCpuNs: null, runqNs: null }] }));
  return requests.length === 0 ? aggregate : { syscalls: [...aggregate.syscalls, ...requests] };
}
