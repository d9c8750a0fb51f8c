// Hand-written protobuf decoding of event batches: packed columns go straight
// into typed arrays, with no object per row (the generated decoder would build a
// JS array of numbers per column and a LongBits object per 64-bit value). Tests
// check that both read the same.
import type protobuf from 'protobufjs/minimal.js';
import { ARG_COUNT } from '../model/events.js';
import { numberReader } from './number-reader.js';
import { syscallprof } from './proto.js';
import { check, hi, LEN, lo, readVarint, skip, unsigned, VARINT, zigzag } from './wire-varint.js';

// EventBatch as the hand-written decoder reads it: each packed column straight
// into a typed array (lengths may differ until validation says otherwise).
export interface WireEventBatch {
  // start_ns split into 32-bit halves: CLOCK_MONOTONIC exceeds 2^53 after 104 days
  startLo: Uint32Array;
  startHi: Uint32Array;
  durationNs: Float64Array;
  pid: Uint32Array;
  tid: Uint32Array;
  nr: Uint32Array;
  ret: Float64Array;
  argLo: Uint32Array[];
  argHi: Uint32Array[];
  pos: Float64Array;
  // with Header.offcpu (else empty): off the CPU, and of that runnable
  offCpuNs: Float64Array;
  runqNs: Float64Array;
  // with Header.stacks (else empty): each row's StackDef id, 0 for none
  stackId: Uint32Array;
  stackDefs: syscallprof.StackDef[];
  data: syscallprof.EventData[];
  processEvents: syscallprof.ProcessEvent[];
}

// EventBatch fields 1..13 are the columns, in this order.
const COLUMN_FIELDS = 13;
const DATA_FIELD = 14;
const PROCESS_EVENT_FIELD = 15;
// off_cpu_ns and runq_ns: columns again
const OFF_CPU_FIELD = 16;
const RUNQ_FIELD = 17;
const STACK_ID_FIELD = 18;
const STACK_DEFS_FIELD = 19;
const LAST_COLUMN = STACK_ID_FIELD;

// Decodes an EventBatch message in buf[start, end); throws on malformed bytes.
export function decodeEventBatch(buf: Uint8Array, start: number, end: number): WireEventBatch {
  // first pass: where each column's values are (a packed run, or one unpacked value)
  const segments: number[][] = Array.from({ length: LAST_COLUMN + 1 }, () => []);
  const counts = new Array<number>(LAST_COLUMN + 1).fill(0);
  const data: syscallprof.EventData[] = [];
  const processEvents: syscallprof.ProcessEvent[] = [];
  const stackDefs: syscallprof.StackDef[] = [];
  let reader: protobuf.Reader | null = null;
  let p = start;
  while (p < end) {
    p = readVarint(buf, p, end);
    const field = lo >>> 3;
    const wt = lo & 7;
    if (((field >= 1 && field <= COLUMN_FIELDS) || field === OFF_CPU_FIELD || field === RUNQ_FIELD || field === STACK_ID_FIELD) && (wt === LEN || wt === VARINT)) {
      let from = p;
      let to: number;
      if (wt === LEN) {
        p = readVarint(buf, p, end);
        from = p;
        to = check(p + (lo >>> 0), end);
      } else {
        to = readVarint(buf, p, end);
      }
      segments[field]!.push(from, to);
      counts[field]! += countVarints(buf, from, to);
      p = to;
    } else if (field === DATA_FIELD && wt === LEN) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      data.push(decodeEventData(buf, p, to));
      p = to;
    } else if (field === PROCESS_EVENT_FIELD && wt === LEN) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      processEvents.push(decodeProcessEvent(buf, p, to));
      p = to;
    } else if (field === STACK_DEFS_FIELD && wt === LEN) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      reader ??= numberReader(buf);
      reader.pos = p;
      stackDefs.push(syscallprof.StackDef.decode(reader, to - p));
      p = to;
    } else {
      p = skip(buf, p, end, wt);
    }
  }

  const startLo = new Uint32Array(counts[1]!);
  const startHi = new Uint32Array(counts[1]!);
  const durationNs = new Float64Array(counts[2]!);
  const pid = new Uint32Array(counts[3]!);
  const tid = new Uint32Array(counts[4]!);
  const nr = new Uint32Array(counts[5]!);
  const ret = new Float64Array(counts[6]!);
  const argLo: Uint32Array[] = [];
  const argHi: Uint32Array[] = [];
  for (let k = 0; k < ARG_COUNT; k++) {
    argLo.push(new Uint32Array(counts[7 + k]!));
    argHi.push(new Uint32Array(counts[7 + k]!));
  }
  const pos = new Float64Array(counts[13]!);

  readHalves(buf, segments[1]!, startLo, startHi);
  readUnsigned(buf, segments[2]!, durationNs);
  readU32(buf, segments[3]!, pid);
  readU32(buf, segments[4]!, tid);
  readU32(buf, segments[5]!, nr);
  readZigzag(buf, segments[6]!, ret);
  for (let k = 0; k < ARG_COUNT; k++) readHalves(buf, segments[7 + k]!, argLo[k]!, argHi[k]!);
  readZigzag(buf, segments[13]!, pos);
  const offCpuNs = new Float64Array(counts[OFF_CPU_FIELD]!);
  const runqNs = new Float64Array(counts[RUNQ_FIELD]!);
  readUnsigned(buf, segments[OFF_CPU_FIELD]!, offCpuNs);
  readUnsigned(buf, segments[RUNQ_FIELD]!, runqNs);
  const stackId = new Uint32Array(counts[STACK_ID_FIELD]!);
  readU32(buf, segments[STACK_ID_FIELD]!, stackId);
  return { startLo, startHi, durationNs, pid, tid, nr, ret, argLo, argHi, pos, offCpuNs, runqNs, stackId, stackDefs, data, processEvents };
}

// Number of varints in buf[from, to): bytes without the continuation bit.
function countVarints(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i]! < 0x80) n += 1;
  // a run ending in a continuation byte is a truncated varint
  if (to > from && buf[to - 1]! >= 0x80) throw new Error(`packed field ends inside a varint (byte ${to})`);
  return n;
}

// The column readers: every varint of a column's segments, in order, into its
// typed array (one loop per kind of column: no callback per value).

function readHalves(buf: Uint8Array, segments: readonly number[], los: Uint32Array, his: Uint32Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      los[i] = lo;
      his[i] = hi;
    }
  }
}

function readU32(buf: Uint8Array, segments: readonly number[], out: Uint32Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      out[i] = lo;
    }
  }
}

function readUnsigned(buf: Uint8Array, segments: readonly number[], out: Float64Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      out[i] = unsigned();
    }
  }
}

function readZigzag(buf: Uint8Array, segments: readonly number[], out: Float64Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      out[i] = zigzag();
    }
  }
}

function decodeEventData(buf: Uint8Array, start: number, end: number): syscallprof.EventData {
  const d = new syscallprof.EventData();
  d.row = 0;
  d.kind = 0;
  d.value = EMPTY;
  let p = start;
  while (p < end) {
    p = readVarint(buf, p, end);
    const field = lo >>> 3;
    const wt = lo & 7;
    if (field === 1 && wt === VARINT) {
      p = readVarint(buf, p, end);
      d.row = lo >>> 0;
    } else if (field === 2 && wt === VARINT) {
      p = readVarint(buf, p, end);
      d.kind = lo >>> 0;
    } else if (field === 3 && wt === LEN) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      d.value = buf.subarray(p, to);
      p = to;
    } else {
      p = skip(buf, p, end, wt);
    }
  }
  return d;
}

const utf8 = new TextDecoder();
const EMPTY = new Uint8Array(0);

function decodeProcessEvent(buf: Uint8Array, start: number, end: number): syscallprof.ProcessEvent {
  const e = new syscallprof.ProcessEvent();
  e.kind = 0;
  e.timeNs = 0;
  e.pid = 0;
  e.child = 0;
  e.comm = '';
  let p = start;
  while (p < end) {
    p = readVarint(buf, p, end);
    const field = lo >>> 3;
    const wt = lo & 7;
    if (field >= 1 && field <= 4 && wt === VARINT) {
      p = readVarint(buf, p, end);
      if (field === 1) e.kind = lo >>> 0;
      else if (field === 2) e.timeNs = unsigned();
      else if (field === 3) e.pid = lo >>> 0;
      else e.child = lo >>> 0;
    } else if (field === 5 && wt === LEN) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      e.comm = utf8.decode(buf.subarray(p, to));
      p = to;
    } else {
      p = skip(buf, p, end, wt);
    }
  }
  return e;
}
