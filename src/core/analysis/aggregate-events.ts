// Streaming aggregation of per-call events: one pass, bounded memory (per
// syscall an HdrHistogram and a few counters, per process and thread a few
// counters; no row is kept). The same pass can feed a FactsCollector (the
// per-call facts of the recommendation rules), which also tells which writes
// went to O_SYNC/O_DSYNC fds: those are filed under sync.
import { CATEGORIES, categoryOfName, dependsOnFd, refineByPath, type Category } from '../model/categories.js';
import { errnoName, MAX_ERRNO } from '../model/errno.js';
import type { EventBatch } from '../model/events.js';
import {
  compareProcesses,
  compareSyscalls,
  type Aggregate,
  type CategoryPart,
  type ProcessAggregate,
  type SyscallAggregate,
  type ThreadAggregate,
} from './aggregate.js';
import { DEFAULT_EDGES_NS, assertEdges } from './buckets.js';
import { ExactRecorder } from './exact-histogram.js';
import { FactsCollector, type CaptureFacts } from './facts/collector.js';

// How to aggregate.
export interface AggregateOptions {
  // edges to count calls between exactly (sorted, positive, distinct); default DEFAULT_EDGES_NS
  readonly edgesNs?: readonly number[];
  // record into hdr-histogram-js's WebAssembly build (default: when it loads)
  readonly wasm?: boolean;
}

// Thread ids and pids are below 2^22 (PID_MAX_LIMIT): one exact number keys both.
const TID_SCALE = 2 ** 22;

const CATEGORY_INDEX = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));

class SyscallAcc {
  count = 0;
  errors = 0;
  totalNs = 0;
  minNs = Infinity;
  maxNs = 0;
  readonly errnos = new Map<number, number>();
  readonly edgeCounts: Float64Array;
  readonly recorder: ExactRecorder;
  readonly baseCategory: Category;
  // per category index, for read/write calls whose fd kind decides it; null otherwise
  readonly categoryCalls: Float64Array | null;
  readonly categoryNs: Float64Array | null;
  readonly categoryOffCpuNs: Float64Array | null;
  readonly categoryRunqNs: Float64Array | null;
  // off-CPU and runnable-waiting sums over the calls that carry them, and how many did
  offCpuNs = 0;
  runqNs = 0;
  offCpuKnown = 0;
  runqKnown = 0;

  constructor(
    readonly name: string,
    edges: number,
    wasm: boolean | undefined,
  ) {
    this.edgeCounts = new Float64Array(edges + 1);
    this.recorder = new ExactRecorder(wasm);
    this.baseCategory = categoryOfName(name);
    const split = dependsOnFd(name);
    this.categoryCalls = split ? new Float64Array(CATEGORIES.length) : null;
    this.categoryNs = split ? new Float64Array(CATEGORIES.length) : null;
    this.categoryOffCpuNs = split ? new Float64Array(CATEGORIES.length) : null;
    this.categoryRunqNs = split ? new Float64Array(CATEGORIES.length) : null;
  }
}

class ProcessAcc {
  comm = '';
  calls = 0;
  errors = 0;
  totalNs = 0;
  constructor(readonly pid: number) {}
}

class ThreadAcc extends ProcessAcc {
  firstNs = Infinity;
  lastNs = -Infinity;
  constructor(
    pid: number,
    readonly tid: number,
    readonly process: ProcessAcc,
  ) {
    super(pid);
  }
}

// Aggregates every batch (consumed once); rows are read, never kept.
export async function aggregateEvents(batches: AsyncIterable<EventBatch> | Iterable<EventBatch>, options: AggregateOptions = {}): Promise<Aggregate> {
  return aggregateBatches(batches, options, null);
}

// An aggregate and the per-call facts, from one pass over the batches.
export interface AggregateWithFacts {
  readonly aggregate: Aggregate;
  readonly facts: CaptureFacts;
}

// Aggregates every batch and gathers the rules' facts in the same pass.
export async function aggregateEventsWithFacts(
  batches: AsyncIterable<EventBatch> | Iterable<EventBatch>,
  options: AggregateOptions = {},
): Promise<AggregateWithFacts> {
  const collector = new FactsCollector();
  const aggregate = await aggregateBatches(batches, options, collector);
  return { aggregate, facts: collector.finish() };
}

async function aggregateBatches(
  batches: AsyncIterable<EventBatch> | Iterable<EventBatch>,
  options: AggregateOptions,
  facts: FactsCollector | null,
): Promise<Aggregate> {
  const edges = options.edgesNs ?? DEFAULT_EDGES_NS;
  assertEdges(edges);
  const syscalls = new Map<string, SyscallAcc>();
  const processes = new Map<number, ProcessAcc>();
  const threads = new Map<number, ThreadAcc>();
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  try {
    for await (const batch of batches) {
      const n = batch.length;
      const { durationNs, startNs, ret, pid, tid, syscall, comm, path, offCpuNs, runqNs } = batch;
      let lastName: string | undefined;
      let acc: SyscallAcc | undefined;
      let lastKey = -1;
      let thread: ThreadAcc | undefined;
      for (let i = 0; i < n; i++) {
        const name = syscall[i]!;
        if (name !== lastName || acc === undefined) {
          acc = syscalls.get(name);
          if (acc === undefined) {
            acc = new SyscallAcc(name, edges.length, options.wasm);
            syscalls.set(name, acc);
          }
          lastName = name;
        }
        const raw = durationNs[i]!;
        const ns = raw > 0 ? Math.round(raw) : 0;
        acc.count++;
        acc.totalNs += ns;
        if (ns < acc.minNs) acc.minNs = ns;
        if (ns > acc.maxNs) acc.maxNs = ns;
        acc.recorder.record(ns);
        acc.edgeCounts[edgeIndex(edges, ns)]!++;

        const r = ret[i]!;
        const failed = r < 0 && r >= -MAX_ERRNO;
        if (failed) {
          acc.errors++;
          acc.errnos.set(-r, (acc.errnos.get(-r) ?? 0) + 1);
        }
        const synced = facts !== null && facts.observe(batch, i, ns);
        const off = offCpuNs[i]!;
        const runq = runqNs[i]!;
        if (!Number.isNaN(off)) {
          acc.offCpuNs += off;
          acc.offCpuKnown++;
        }
        if (!Number.isNaN(runq)) {
          acc.runqNs += runq;
          acc.runqKnown++;
        }
        if (acc.categoryCalls !== null) {
          const p = path[i];
          let category = p == null ? acc.baseCategory : refineByPath(acc.baseCategory, p);
          if (synced && category === 'disk-write') category = 'sync';
          const c = CATEGORY_INDEX.get(category)!;
          acc.categoryCalls[c]!++;
          acc.categoryNs![c]! += ns;
          if (!Number.isNaN(off)) acc.categoryOffCpuNs![c]! += off;
          if (!Number.isNaN(runq)) acc.categoryRunqNs![c]! += runq;
        }

        const start = startNs[i]!;
        if (start < firstStart) firstStart = start;
        if (start + ns > lastEnd) lastEnd = start + ns;

        const p = pid[i]!;
        const t = tid[i]!;
        const key = p * TID_SCALE + t;
        if (key !== lastKey || thread === undefined) {
          thread = threads.get(key);
          if (thread === undefined) {
            let proc = processes.get(p);
            if (proc === undefined) {
              proc = new ProcessAcc(p);
              processes.set(p, proc);
            }
            thread = new ThreadAcc(p, t, proc);
            threads.set(key, thread);
          }
          lastKey = key;
        }
        const c = comm[i]!;
        if (thread.comm !== c) thread.comm = c;
        thread.calls++;
        thread.totalNs += ns;
        if (start < thread.firstNs) thread.firstNs = start;
        if (start + ns > thread.lastNs) thread.lastNs = start + ns;
        const proc = thread.process;
        proc.calls++;
        proc.totalNs += ns;
        // the process is named after its main thread, else after whichever thread was seen
        if ((t === p || proc.comm === '') && proc.comm !== c) proc.comm = c;
        if (failed) {
          thread.errors++;
          proc.errors++;
        }
      }
    }
  } catch (err) {
    for (const acc of syscalls.values()) acc.recorder.destroy();
    throw err;
  }

  return {
    source: 'events',
    syscalls: [...syscalls.values()].map((a) => finishSyscall(a, edges)).sort(compareSyscalls),
    processes: [...processes.values()].map(processOf).sort(compareProcesses),
    threads: [...threads.values()].map(threadOf).sort(compareProcesses),
    spanNs: lastEnd >= firstStart ? lastEnd - firstStart : null,
  };
}

// The bucket of ns among sorted edges: how many edges are at or below it
// (a linear scan for the usual handful, a binary search for long lists).
function edgeIndex(edges: readonly number[], ns: number): number {
  const n = edges.length;
  if (n <= 8) {
    let k = 0;
    while (k < n && ns >= edges[k]!) k++;
    return k;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ns >= edges[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function finishSyscall(a: SyscallAcc, edges: readonly number[]): SyscallAggregate {
  const empty = a.count === 0;
  return {
    name: a.name,
    count: a.count,
    errors: a.errors,
    errnos: [...a.errnos]
      .map(([errno, count]) => ({ errno: errnoName(-errno) ?? `E${errno}`, count }))
      .sort((x, y) => y.count - x.count || (x.errno < y.errno ? -1 : 1)),
    totalNs: a.totalNs,
    minNs: empty ? null : a.minNs,
    maxNs: empty ? null : a.maxNs,
    distribution: a.recorder.finish(empty ? 0 : a.minNs, a.maxNs),
    edgeCounts: { edgesNs: [...edges], counts: [...a.edgeCounts] },
    categories: categoryParts(a),
    offCpuNs: a.offCpuKnown > 0 ? a.offCpuNs : null,
    runqNs: a.runqKnown > 0 ? a.runqNs : null,
  };
}

function categoryParts(a: SyscallAcc): CategoryPart[] {
  const off = a.offCpuKnown > 0;
  const runq = a.runqKnown > 0;
  if (a.categoryCalls === null || a.categoryNs === null) {
    return a.count === 0
      ? []
      : [{ category: a.baseCategory, calls: a.count, totalNs: a.totalNs, offCpuNs: off ? a.offCpuNs : null, runqNs: runq ? a.runqNs : null }];
  }
  const parts: CategoryPart[] = [];
  CATEGORIES.forEach((category, i) => {
    if (a.categoryCalls![i]! > 0) {
      parts.push({
        category,
        calls: a.categoryCalls![i]!,
        totalNs: a.categoryNs![i]!,
        offCpuNs: off ? a.categoryOffCpuNs![i]! : null,
        runqNs: runq ? a.categoryRunqNs![i]! : null,
      });
    }
  });
  return parts;
}

function processOf(t: ProcessAcc): ProcessAggregate {
  return { pid: t.pid, comm: t.comm, calls: t.calls, errors: t.errors, totalNs: t.totalNs };
}

function threadOf(t: ThreadAcc): ThreadAggregate {
  return { pid: t.pid, tid: t.tid, comm: t.comm, calls: t.calls, errors: t.errors, totalNs: t.totalNs, spanNs: t.lastNs > t.firstNs ? t.lastNs - t.firstNs : 0 };
}
