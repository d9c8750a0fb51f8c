// One io_uring request as a capture record: the same fields, in the same
// order, in the CSV file beside a CSV capture (FILE.io_uring.csv) and in JSON
// lines records {"kind":"io_uring",...}; and back.
import { errnoName } from '../model/errno.js';
import type { IoUringRequest, IoUringRequests } from '../model/io-uring-requests.js';
import { ioUringOpcode, ioUringOpName } from '../model/io-uring.js';
import type { WallClock } from './timestamp.js';

// The fields, in order (the CSV header; the JSON keys).
export const IO_URING_COLUMNS = [
  'timestamp_ns',
  'pid',
  'tid',
  'comm',
  'op',
  'fd',
  'fixed_file',
  'path',
  'offset',
  'length',
  'result',
  'errno',
  'duration_ns',
  'punted',
  'ring',
] as const;

// A record's values by field: strings, numbers, booleans, null for unknown.
export type IoUringRecord = Record<(typeof IO_URING_COLUMNS)[number], string | number | boolean | null>;

// Request i as a record; timestamp_ns is wall-clock ns as a decimal string.
export function ioUringRecord(reqs: IoUringRequests, i: number, clock: WallClock): IoUringRecord {
  const result = reqs.result[i]!;
  const offset = reqs.offset[i]!;
  return {
    timestamp_ns: clock.format(reqs.startNs[i]!),
    pid: reqs.pid[i]!,
    tid: reqs.tid[i]!,
    comm: reqs.comm[i]!,
    op: ioUringOpName(reqs.opcode[i]!),
    fd: reqs.fd[i]!,
    fixed_file: reqs.fixedFile[i] === 1,
    path: reqs.path[i] ?? null,
    offset: Number.isNaN(offset) ? null : offset,
    length: reqs.len[i]!,
    result,
    errno: result < 0 ? errnoName(result) : null,
    duration_ns: reqs.durationNs[i]!,
    punted: reqs.punted[i] === 1,
    ring: reqs.ring[i]!,
  };
}

// A record's request, or a string saying which field is wrong. Fields come as
// JSON values (JSON lines) or text (CSV: '' is null, true/false booleans).
export function requestOfRecord(get: (field: string) => unknown, clock: WallClock): IoUringRequest | string {
  const int = (field: string, min: number, max: number, nullable = false): number | null | string => {
    let v = get(field);
    if (nullable && (v === null || v === '' || v === undefined)) return null;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) v = Number(v);
    if (!(Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max)) return `${field}: expected a whole number in [${min}, ${max}]`;
    return v as number;
  };
  const bool = (field: string): boolean | string => {
    const v = get(field);
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    return `${field}: expected true or false`;
  };
  const text = (field: string): string | null => {
    const v = get(field);
    return typeof v === 'string' ? v : null;
  };
  const stamp = get('timestamp_ns');
  const m = typeof stamp === 'string' ? /^(\d{0,10}?)(\d{1,9})$/.exec(stamp) : null;
  if (m === null) return 'timestamp_ns: expected ns since the Unix epoch as a string of digits';
  const opcode = ioUringOpcode(text('op') ?? '');
  if (opcode === null) return `op: unknown io_uring opcode ${JSON.stringify(get('op'))}`;
  const parts = {
    pid: int('pid', 1, 2 ** 31),
    tid: int('tid', 1, 2 ** 31),
    fd: int('fd', -(2 ** 31), 2 ** 31 - 1),
    offset: int('offset', 0, Number.MAX_SAFE_INTEGER, true),
    length: int('length', 0, 2 ** 32 - 1),
    result: int('result', -(2 ** 31), 2 ** 31 - 1),
    durationNs: int('duration_ns', 0, Number.MAX_SAFE_INTEGER),
    ring: int('ring', 0, 2 ** 32 - 1),
    fixedFile: bool('fixed_file'),
    punted: bool('punted'),
  };
  for (const v of Object.values(parts)) if (typeof v === 'string') return v;
  const p = parts as { [K in keyof typeof parts]: Exclude<(typeof parts)[K], string> };
  const path = text('path');
  return {
    startNs: clock.offsetOf(m[1] === '' ? 0 : Number(m[1]), Number(m[2])),
    durationNs: p.durationNs!,
    pid: p.pid!,
    tid: p.tid!,
    comm: text('comm') ?? '',
    opcode,
    fd: p.fd!,
    fixedFile: p.fixedFile,
    offset: p.offset,
    length: p.length!,
    result: p.result!,
    punted: p.punted,
    ring: p.ring!,
    path: path === '' ? null : path,
  };
}
