// Reading a whole capture once into an Aggregate, with its final metadata.
import type { CaptureMeta, CaptureSource } from '../model/events.js';
import type { Aggregate } from './aggregate.js';
import { aggregateEvents, type AggregateOptions } from './aggregate-events.js';
import { aggregateProfile } from './aggregate-profile.js';

// A capture read and aggregated.
export interface CaptureAnalysis {
  // the metadata as complete as the capture's end makes it
  readonly meta: CaptureMeta;
  readonly aggregate: Aggregate;
  // how long the capture ran: the metadata's duration, else the span of its
  // calls; null when neither is known
  readonly durationNs: number | null;
}

// Consumes the source's batches once; an aggregate-only capture (no events,
// a profile at the end) gives estimated rows from its histograms.
export async function analyzeCapture(source: CaptureSource, options: AggregateOptions = {}): Promise<CaptureAnalysis> {
  const fromEvents = await aggregateEvents(source.batches, options);
  const { meta, profile } = source.final();
  const aggregate = fromEvents.syscalls.length === 0 && profile !== null ? aggregateProfile(profile) : fromEvents;
  const durationNs = meta.durationNs ?? (profile !== null && profile.durationNs > 0 ? profile.durationNs : aggregate.spanNs);
  return { meta, aggregate, durationNs };
}
