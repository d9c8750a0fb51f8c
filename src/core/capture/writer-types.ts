// What every capture writer offers.
import type { EventBatch } from '../model/events.js';
import type { ListenPressure } from '../model/listen.js';
import type { LoadLevel } from '../model/load.js';
import type { StackHealth } from '../model/stacks.js';
import type { CaptureFormat } from './format.js';

// What is only known when a capture ends.
export interface CaptureTrailer {
  readonly durationNs: number | null;
  readonly lostEvents: number;
  // CPU time (user + system) the traced threads used, when known
  readonly cpuNs?: number | null;
  // the traced threads' lifetimes summed, and how many threads, when known
  readonly threadNs?: number | null;
  readonly threadCount?: number | null;
  // their time runnable, waiting for a CPU, when known
  readonly runqNs?: number | null;
  // how loaded the machine was while it ran (sweep), when recorded
  readonly load?: LoadLevel | null;
  // listen queue overflows and drops while it ran, when recorded
  readonly listen?: ListenPressure | null;
  // --stacks: what happened to the slow calls, when stacks were taken
  readonly stackHealth?: StackHealth | null;
}

// A capture being written to `<path>.tmp-<pid>`; commit() renames it into place.
export interface CaptureWriter {
  readonly path: string;
  readonly format: CaptureFormat;
  // rows written so far
  readonly rows: number;
  // Appends a batch of events (csv, jsonl).
  write(batch: EventBatch): void;
  // Appends raw loader frame bytes (spb).
  writeRaw(chunk: Uint8Array): void;
  // Finishes the file (trailer, sync, rename); returns its size in bytes.
  commit(trailer: CaptureTrailer): number;
  // Removes the temporary file; an existing file at `path` is left as it was.
  abort(): void;
}
