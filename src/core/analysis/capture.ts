// Reading a whole capture once into an Aggregate, with its final metadata.
import type { CaptureMeta, CaptureSource, EventBatch } from '../model/events.js';
import type { IoUringProfile } from '../model/io-uring.js';
import type { StackProfile } from '../model/stacks.js';
import type { Aggregate } from './aggregate.js';
import { aggregateEventsWithFacts, type AggregateOptions } from './aggregate-events.js';
import { aggregateProfile } from './aggregate-profile.js';
import { IoUringRequestCollector } from './io-uring-requests.js';
import type { CaptureFacts } from './facts/collector.js';
import { categoryTimes, withIoUring, type CategoryTime } from './category-times.js';
import { verdictOf, type VerdictInput } from './verdict.js';
import { StackCollector } from './stacks.js';

// A capture read and aggregated.
export interface CaptureAnalysis {
  // the metadata as complete as the capture's end makes it
  readonly meta: CaptureMeta;
  readonly aggregate: Aggregate;
  // how long the capture ran: the metadata's duration, else the span of its
  // calls; null when neither is known
  readonly durationNs: number | null;
  // per-call facts of the recommendation rules (fd flags, per-file I/O, per-path
  // opens, polls, futexes...); null for an aggregate-only capture
  readonly facts: CaptureFacts | null;
  // io_uring requests, when the capture carries them (spb of the eBPF backend); else null
  readonly ioUring: IoUringProfile | null;
  // the stacks of the slow calls (--stacks): the kernel's aggregates in an spb
  // capture, else rebuilt from the rows' stacks; null when the capture has none
  readonly stacks: StackProfile | null;
}

// Consumes the source's batches once; an aggregate-only capture (no events,
// a profile at the end) gives estimated rows from its histograms.
export async function analyzeCapture(source: CaptureSource, options: AggregateOptions = {}): Promise<CaptureAnalysis> {
  const requests = new IoUringRequestCollector();
  const collector = new StackCollector();
  const fromEvents = await aggregateEventsWithFacts(tap(source.batches, requests, collector), options);
  const { meta, profile, ioUring: kernel, stacks } = source.final();
  // per-request records: per-file facts, and the whole io_uring part for captures without the kernel's
  const ioUring = requests.result(kernel ?? null);
  const aggregateOnly = fromEvents.aggregate.syscalls.length === 0 && profile !== null;
  const aggregate = aggregateOnly ? aggregateProfile(profile) : fromEvents.aggregate;
  const durationNs = meta.durationNs ?? (profile !== null && profile.durationNs > 0 ? profile.durationNs : aggregate.spanNs);
  return { meta, aggregate, durationNs, facts: aggregateOnly ? null : fromEvents.facts, ioUring: ioUring ?? null, stacks: stacks ?? withHealth(collector.finish(), meta.stackHealth ?? null) };
}

// stacks rebuilt from rows, with the health the capture's end recorded (what rows cannot tell)
function withHealth(stacks: StackProfile | null, health: StackProfile['health'] | null): StackProfile | null {
  return stacks === null || health === null ? stacks : { ...stacks, health };
}

// the batches, each shown on its way to the stack collector and, with its
// io_uring requests, to `requests`
async function* tap(batches: AsyncIterable<EventBatch>, requests: IoUringRequestCollector, collector: StackCollector): AsyncGenerator<EventBatch> {
  for await (const b of batches) {
    if (b.ioUring !== null) requests.add(b.ioUring);
    collector.observe(b);
    yield b;
  }
}

// The measured times the verdict and the capacity need, from an analysed capture.
export function verdictInput(analysis: Pick<CaptureAnalysis, 'meta' | 'durationNs'>): VerdictInput {
  return { durationNs: analysis.durationNs, cpuNs: analysis.meta.cpuNs ?? null, threadNs: analysis.meta.threadNs ?? null, threadCount: analysis.meta.threadCount ?? null, runqNs: analysis.meta.runqNs ?? null };
}

// The capture's time by category, the bottleneck judged against its threads'
// working time; io_uring requests in their opcode's category (withIoUring).
export function captureCategoryTimes(analysis: CaptureAnalysis): CategoryTime[] {
  const v = verdictOf(analysis.aggregate, verdictInput(analysis), analysis.facts);
  return categoryTimes(withIoUring(analysis.aggregate, analysis.ioUring), v.working?.ns ?? v.capacityNs);
}
