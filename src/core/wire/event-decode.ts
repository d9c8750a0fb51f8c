// Hand-written protobuf decoding of event batches: packed columns go straight
// into typed arrays, with no object per row (the generated decoder would build a
// JS array of numbers per column and a LongBits object per 64-bit value). Tests
// check that both read the same.
import type protobuf from 'protobufjs/minimal.js';
import { ARG_COUNT } from '../model/events.js';
import { numberReader } from './number-reader.js';
import { syscallprof } from './proto.js';
import { columnRun, readHalves, readU32, readUnsigned, readZigzag } from './packed-columns.js';
import { decodeIoUringRequests, type WireIoUringRequests } from './uring-event-decode.js';
import { check, LEN, lo, readVarint, skip, unsigned, VARINT } from './wire-varint.js';

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
  // with Header.stacks: each row's stack id (empty when no row has one), and
  // the StackDefs first sent with this batch
  stackId: Uint32Array;
  stackDefs: syscallprof.StackDef[];
  data: syscallprof.EventData[];
  processEvents: syscallprof.ProcessEvent[];
  // io_uring requests completed (field 30), or null
  ioUring: WireIoUringRequests | null;
}

// EventBatch fields 1..13 are the columns, in this order.
const COLUMN_FIELDS = 13;
const DATA_FIELD = 14;
const PROCESS_EVENT_FIELD = 15;
// off_cpu_ns and runq_ns: columns again
const OFF_CPU_FIELD = 16;
const RUNQ_FIELD = 17;
// stack_id: a column too; stack_defs: messages
const STACK_ID_FIELD = 18;
const STACK_DEFS_FIELD = 19;
const LAST_COLUMN = STACK_ID_FIELD;
const IO_URING_FIELD = 30;

// Decodes an EventBatch message in buf[start, end); throws on malformed bytes.
export function decodeEventBatch(buf: Uint8Array, start: number, end: number): WireEventBatch {
  // first pass: where each column's values are (a packed run, or one unpacked value)
  const segments: number[][] = Array.from({ length: LAST_COLUMN + 1 }, () => []);
  const counts = new Array<number>(LAST_COLUMN + 1).fill(0);
  const data: syscallprof.EventData[] = [];
  const processEvents: syscallprof.ProcessEvent[] = [];
  let ioUring: WireIoUringRequests | null = null;
  const stackDefs: syscallprof.StackDef[] = [];
  let reader: protobuf.Reader | null = null;
  let p = start;
  while (p < end) {
    p = readVarint(buf, p, end);
    const field = lo >>> 3;
    const wt = lo & 7;
    if (((field >= 1 && field <= COLUMN_FIELDS) || field === OFF_CPU_FIELD || field === RUNQ_FIELD || field === STACK_ID_FIELD) && (wt === LEN || wt === VARINT)) {
      const [to, count] = columnRun(buf, p, end, wt, segments[field]!);
      counts[field]! += count;
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
    } else if (field === IO_URING_FIELD && wt === LEN) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      ioUring = decodeIoUringRequests(buf, p, to);
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
  return { startLo, startHi, durationNs, pid, tid, nr, ret, argLo, argHi, pos, offCpuNs, runqNs, stackId, stackDefs, data, processEvents, ioUring };
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
