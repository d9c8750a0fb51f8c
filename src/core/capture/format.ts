// Capture file formats, and telling which one a file is.
import { extname } from 'node:path';
import { readVarint } from '../wire/wire-varint.js';

// The capture formats: CSV, JSON lines, the loader's own protobuf frame
// stream, and Parquet (typed columns, several times smaller than CSV).
export const CAPTURE_FORMATS = ['csv', 'jsonl', 'spb', 'parquet'] as const;

// One of the capture formats.
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];

// Logs of other tools the offline commands read too (they are never written).
export const LOG_FORMATS = ['strace', 'perf', 'bpftrace'] as const;

// What --format accepts on input: a capture or another tool's log.
export const INPUT_FORMATS = [...CAPTURE_FORMATS, ...LOG_FORMATS] as const;

// One of the input formats.
export type InputFormat = (typeof INPUT_FORMATS)[number];

const EXTENSIONS: ReadonlyMap<string, CaptureFormat> = new Map([
  ['.csv', 'csv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.spb', 'spb'],
  ['.parquet', 'parquet'],
]);

// The format a file name's extension says, or null.
export function formatFromExtension(path: string): CaptureFormat | null {
  return EXTENSIONS.get(extname(path).toLowerCase()) ?? null;
}

// The format the first bytes of a file look like, or null: '#' or a digit (CSV
// metadata or a row), the CSV header, '{' (JSON lines), PAR1 (Parquet), or a
// varint length followed by Frame field 1 (a Header: spb).
export function sniffFormat(head: Uint8Array): CaptureFormat | null {
  if (head.length === 0) return null;
  if (head.length >= 4 && Buffer.from(head.subarray(0, 4)).toString('latin1') === 'PAR1') return 'parquet';
  const first = head[0]!;
  if (first === 0x23 /* # */ || (first >= 0x30 && first <= 0x39)) return 'csv';
  if (Buffer.from(head.subarray(0, 13)).toString('latin1') === 'timestamp_ns,') return 'csv';
  if (first === 0x7b /* { */) return 'jsonl';
  let after: number;
  try {
    after = readVarint(head, 0, head.length);
  } catch {
    return null;
  }
  return head[after] === 0x0a ? 'spb' : null;
}
