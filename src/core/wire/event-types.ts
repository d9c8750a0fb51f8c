// What event mode hands to its caller: model event batches plus what fd tracking
// needs beyond the columns (socket addresses, pipe fds, process lifecycle).
import type { CaptureMeta, EventBatch } from '../model/events.js';
import type { Target } from '../model/profile.js';

// Per-row data some calls carry besides their columns, keyed by row index.
export interface CallExtras {
  // raw struct sockaddr bytes of connect/bind (the address given) and accept* (the peer)
  readonly sockaddr: ReadonlyMap<number, Uint8Array>;
  // the two fds pipe/pipe2/socketpair returned
  readonly pipeFds: ReadonlyMap<number, readonly [number, number]>;
}

// A process lifecycle change, at ns since the capture started (the batch's time base).
export type ProcessChange =
  // `child` starts with a copy of `pid`'s descriptors and command name
  | { readonly kind: 'fork'; readonly timeNs: number; readonly pid: number; readonly child: number; readonly comm: string }
  | { readonly kind: 'exec'; readonly timeNs: number; readonly pid: number; readonly comm: string }
  | { readonly kind: 'exit'; readonly timeNs: number; readonly pid: number; readonly comm: string }
  // the command name of `pid` as first seen, or changed
  | { readonly kind: 'name'; readonly timeNs: number; readonly pid: number; readonly comm: string };

// One EventBatch frame, converted: rows, their extras, and the process changes
// that happened around them (ordered by time; each applies to rows that end after it).
export interface EventChunk {
  readonly batch: EventBatch;
  readonly extras: CallExtras;
  readonly processChanges: readonly ProcessChange[];
}

// Receives each converted event batch while tracing runs.
export type EventListener = (chunk: EventChunk) => void;

// What the stream's header says, in model terms (for capture metadata).
export interface StreamStart {
  readonly arch: string;
  readonly target: Target;
  // wall clock at the start, ns since the Unix epoch, exact
  readonly startRealNs: string;
  // whether event batches follow, and the kernel's event filters
  readonly events: boolean;
  readonly filters: CaptureMeta['filters'];
  // event ring buffer size (0 when unknown or not in event mode)
  readonly ringbufBytes: number;
}

// Receives the stream's start once its header arrived.
export type StartListener = (start: StreamStart) => void;
