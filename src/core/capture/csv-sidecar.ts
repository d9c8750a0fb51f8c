// The metadata of a CSV capture, beside it in `FILE.meta.json`: the CSV itself
// is plain RFC 4180 (the header on line 1, then rows), which pandas, polars,
// DuckDB, csv.DictReader and spreadsheets open with no options. The sidecar is
// written (atomically) once the CSV is complete: its presence, with its row
// count, is the capture's complete-capture marker.
//
// {"format": "syscall-prof/capture-meta", "version": 1,
//  "backend", "arch", "target", "start_real_ns": "digits", "filters": {"syscalls": [..]|null,
//  "min_duration_ns", "failed_only"}, "rows", "duration_ns"|null, "lost_events",
//  "cpu_ns"?, "thread_ns"?, "threads"?, "runq_ns"?, "load"?,
//  "io_uring"?: {"file": "x.io_uring.csv", "rows"}}   (uring-csv.ts: when the target used io_uring)
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { CaptureMeta } from '../model/events.js';
import { parseListenPressure } from '../model/listen.js';
import { parseStackHealth } from '../model/stacks.js';
import { parseLoadLevel } from '../model/load.js';
import type { CaptureTrailer } from './writer-types.js';

// The sidecar's format name and version.
export const SIDECAR_FORMAT = 'syscall-prof/capture-meta';
export const SIDECAR_VERSION = 1;

// Where the metadata of a CSV capture goes.
export function sidecarPathOf(csvPath: string): string {
  return `${csvPath}.meta.json`;
}

// The file of a CSV capture's io_uring requests (relative to the capture's folder) and its row count.
export interface IoUringFileRef {
  readonly file: string;
  readonly rows: number;
}

// What a sidecar holds: the whole metadata and the row count.
export interface Sidecar {
  readonly meta: CaptureMeta;
  readonly rows: number;
  // the io_uring requests file, when the capture has one
  readonly ioUring?: IoUringFileRef | null;
}

// The sidecar's text for a finished capture.
export function sidecarText(meta: CaptureMeta, trailer: CaptureTrailer, rows: number, ioUring: IoUringFileRef | null = null): string {
  const n = (v: number | null | undefined): number | undefined => (v === undefined || v === null ? undefined : Math.round(v));
  return `${JSON.stringify(
    {
      format: SIDECAR_FORMAT,
      version: SIDECAR_VERSION,
      backend: meta.backend,
      arch: meta.arch,
      target: meta.target,
      start_real_ns: meta.startRealNs,
      filters: { syscalls: meta.filters.syscalls, min_duration_ns: meta.filters.minDurationNs, failed_only: meta.filters.failedOnly },
      rows,
      duration_ns: n(trailer.durationNs) ?? null,
      lost_events: trailer.lostEvents,
      cpu_ns: n(trailer.cpuNs),
      thread_ns: n(trailer.threadNs),
      threads: n(trailer.threadCount),
      runq_ns: n(trailer.runqNs),
      load: trailer.load ?? undefined,
      listen: trailer.listen ?? undefined,
      io_uring: ioUring ?? undefined,
      stack_health: trailer.stackHealth ?? undefined,
    },
    null,
    2,
  )}\n`;
}

// The sidecar of a CSV capture, or null when it has none; InputError naming the sidecar and the field when it is malformed.
export function readSidecar(csvPath: string): Sidecar | null {
  const path = sidecarPathOf(csvPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`cannot read: ${(err as Error).message}`, { file: path, cause: err });
  }
  return parseSidecar(text, path, 'not JSON (cut short?): remove it to read the CSV without its metadata');
}

// The metadata of a capture from the sidecar's JSON text (a CSV's
// FILE.meta.json, or a Parquet capture's key-value metadata); InputError
// naming `file` and the field when it is malformed, `notJson` when it is not JSON.
export function parseSidecar(text: string, file: string, notJson: string): Sidecar {
  const fail = (detail: string): never => {
    throw new InputError(detail, { file });
  };
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return fail(notJson);
  }
  if (typeof o !== 'object' || o === null || o['format'] !== SIDECAR_FORMAT) fail(`expected "format": "${SIDECAR_FORMAT}"`);
  if (o['version'] !== SIDECAR_VERSION) fail(`unsupported version ${JSON.stringify(o['version'])} (this reader reads ${SIDECAR_VERSION})`);
  const count = (key: string, optional: boolean): number | null => {
    const v = o[key];
    if ((v === undefined || v === null) && optional) return null;
    if (!(Number.isSafeInteger(v) && (v as number) >= 0)) fail(`${key}: expected a whole number`);
    return v as number;
  };
  const text_ = (key: string): string => {
    if (typeof o[key] !== 'string') fail(`${key}: expected a string`);
    return o[key] as string;
  };
  const start = text_('start_real_ns');
  if (!/^\d{1,19}$/.test(start)) fail('start_real_ns: expected ns since the Unix epoch as a string of digits');
  const f = o['filters'] as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null) fail('filters: expected an object');
  const syscalls = f!['syscalls'];
  if (!(syscalls === null || (Array.isArray(syscalls) && syscalls.every((s) => typeof s === 'string')))) fail('filters.syscalls: expected null or a list of names');
  if (!(Number.isSafeInteger(f!['min_duration_ns']) && (f!['min_duration_ns'] as number) >= 0)) fail('filters.min_duration_ns: expected a whole number');
  if (typeof f!['failed_only'] !== 'boolean') fail('filters.failed_only: expected true or false');
  const load = o['load'] === undefined ? null : parseLoadLevel(o['load']);
  if (typeof load === 'string') fail(`load: ${load}`);
  const listen = o['listen'] === undefined ? null : parseListenPressure(o['listen']);
  if (typeof listen === 'string') fail(`listen: ${listen}`);
  const stackHealth = o['stack_health'] === undefined ? null : parseStackHealth(o['stack_health']);
  if (typeof stackHealth === 'string') fail(`stack_health: ${stackHealth}`);
  const cpuNs = count('cpu_ns', true);
  const threadNs = count('thread_ns', true);
  const threads = count('threads', true);
  const runqNs = count('runq_ns', true);
  const meta: CaptureMeta = {
    backend: text_('backend'),
    arch: text_('arch'),
    target: text_('target'),
    startRealNs: start,
    durationNs: count('duration_ns', true),
    lostEvents: count('lost_events', false)!,
    filters: { syscalls: syscalls as string[] | null, minDurationNs: f!['min_duration_ns'] as number, failedOnly: f!['failed_only'] as boolean },
    ...(cpuNs === null ? {} : { cpuNs }),
    ...(threadNs === null ? {} : { threadNs }),
    ...(threads === null ? {} : { threadCount: threads }),
    ...(runqNs === null ? {} : { runqNs }),
    ...(load === null ? {} : { load: load as Exclude<typeof load, string> }),
    ...(listen === null ? {} : { listen: listen as Exclude<typeof listen, string> }),
    ...(stackHealth === null ? {} : { stackHealth: stackHealth as Exclude<typeof stackHealth, string> }),
  };
  const u = o['io_uring'] as Record<string, unknown> | undefined;
  let ioUring: IoUringFileRef | null = null;
  if (u !== undefined) {
    if (typeof u !== 'object' || u === null || typeof u['file'] !== 'string' || u['file'] === '' || /[/\\]/.test(u['file'])) {
      fail('io_uring.file: expected the name of a file beside the capture');
    }
    if (!(Number.isSafeInteger(u!['rows']) && (u!['rows'] as number) >= 0)) fail('io_uring.rows: expected a whole number');
    ioUring = { file: u!['file'] as string, rows: u!['rows'] as number };
  }
  return { meta, rows: count('rows', false)!, ioUring };
}
