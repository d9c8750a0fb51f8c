// The last few seconds of an event-mode stream, kept in memory (bounded by
// time and by event count), written on demand as a small spb capture of one
// process: the calls around an anomaly, readable by `analyze` and `report`.
//
// It keeps the loader's frames as they came (the header, and each event
// batch's bytes with its row count), never decoded on the steady path beyond
// counting rows; a capture decodes only the batches it writes, keeps the
// rows of the process asked for, and starts the capture's clock at its
// first kept call (its header's start moves there: times, rates and the
// duration then describe the window, not the hours the agent has run).
import { FrameReader } from '../wire/frame-reader.js';
import { syscallprof } from '../wire/proto.js';

// How much the window keeps.
export interface SpbWindowOptions {
  // batches that arrived longer ago than this are dropped
  readonly windowMs: number;
  // at most this many calls in all (the oldest batches go first)
  readonly maxEvents: number;
}

// A capture written from the window.
export interface WindowCapture {
  readonly bytes: Uint8Array;
  readonly rows: number;
  // the calls' span, first start to last end, ns
  readonly spanNs: number;
}

interface Kept {
  readonly arrivedMs: number;
  readonly body: Uint8Array;
  readonly rows: number;
}

// Frame field tags (field number << 3 | length-delimited).
const TAG_HEADER = (1 << 3) | 2;
const TAG_EVENTS = (3 << 3) | 2;
// EventBatch.pid: a packed uint32 column, one varint per row
const PID_FIELD = 3;

// a 64-bit field as protobufjs decodes it: a Long (exact), or a number
type Numeric = number | { toNumber(): number; add(n: number): Numeric };

function num(v: Numeric | null | undefined): number {
  return v == null ? 0 : typeof v === 'number' ? v : v.toNumber();
}

// v + delta, exact when v is a Long (a wall clock in ns does not fit a double)
function plus(v: Numeric | null | undefined, delta: number): Numeric {
  return v == null ? delta : typeof v === 'number' ? v + delta : v.add(delta);
}

// Follows an event-mode loader stream and keeps its recent event batches.
export class SpbWindow {
  private reader = SpbWindow.frameReader();
  private header: syscallprof.Header | null = null;
  private kept: Kept[] = [];
  private rows = 0;

  constructor(private readonly options: SpbWindowOptions) {}

  // Calls held now (for tests of the bound).
  get events(): number {
    return this.rows;
  }

  // Takes the loader's stdout bytes as they come.
  push(chunk: Uint8Array, nowMs: number = Date.now()): void {
    for (const { frame } of this.reader.push(chunk)) {
      if (frame[0] === TAG_HEADER) this.header = syscallprof.Frame.decode(frame).header ?? null;
      else if (frame[0] === TAG_EVENTS) {
        // a copy: the reader's buffer may be reused
        const body = Uint8Array.from(frame);
        const rows = countRows(body);
        this.kept.push({ arrivedMs: nowMs, body, rows });
        this.rows += rows;
      }
    }
    this.trim(nowMs);
  }

  // A new loader run begins (after a restart): its stream starts with its own
  // header, and a frame the old one left unfinished is dropped. The batches
  // kept stay: CLOCK_MONOTONIC is the machine's, the same for both runs.
  newStream(): void {
    this.reader = SpbWindow.frameReader();
  }

  private static frameReader(): FrameReader<Uint8Array> {
    return new FrameReader<Uint8Array>((bytes) => bytes, { source: 'loader stdout (anomaly window)' });
  }

  // The window's calls of process `pid` (null: of every process) as an spb
  // stream, or null when it holds none. `comm` names the process when its own
  // name event is older than the window.
  capture(pid: number | null, comm: string | null, nowMs: number = Date.now()): WindowCapture | null {
    this.trim(nowMs);
    if (this.header === null) return null;
    const batches: syscallprof.EventBatch[] = [];
    let start = Infinity;
    let end = 0;
    let rows = 0;
    for (const k of this.kept) {
      const batch = syscallprof.Frame.decode(k.body).events;
      if (batch == null) continue;
      const only = pid === null ? batch : rowsOf(batch, pid);
      for (let i = 0; i < only.startNs.length; i++) {
        const s = num(only.startNs[i] as Numeric);
        start = Math.min(start, s);
        end = Math.max(end, s + num(only.durationNs[i] as Numeric));
      }
      rows += only.startNs.length;
      if (only.startNs.length > 0 || only.processEvents.length > 0) batches.push(only);
    }
    if (rows === 0) return null;
    // process events before the first kept call would precede the new start
    for (const b of batches) b.processEvents = b.processEvents.filter((e) => num(e.timeNs as Numeric) >= start);
    if (pid !== null && comm !== null && comm !== '') {
      batches[0]!.processEvents.unshift(syscallprof.ProcessEvent.create({ kind: syscallprof.ProcessEvent.Kind.NAME, timeNs: start, pid, comm }));
    }
    const h = syscallprof.Header.create({ ...this.header });
    const shift = start - num(h.startMonoNs as Numeric);
    h.startMonoNs = start;
    h.startRealNs = plus(h.startRealNs as Numeric, shift) as number;
    if (pid !== null) {
      h.mode = syscallprof.Mode.MODE_PID;
      h.pids = [pid];
      h.follow = false;
      h.cgroup = '';
      h.command = [];
    }
    const frames: Uint8Array[] = [syscallprof.Frame.encodeDelimited(syscallprof.Frame.create({ header: h })).finish()];
    for (const b of batches) frames.push(syscallprof.Frame.encodeDelimited(syscallprof.Frame.create({ events: b })).finish());
    const procs = pid !== null && comm !== null ? [syscallprof.Process.create({ tgid: pid, comm })] : [];
    const last = syscallprof.Snapshot.create({ seq: 1, monoNs: end, final: true, procs, stopReason: syscallprof.StopReason.STOP_REASON_SIGNAL });
    frames.push(syscallprof.Frame.encodeDelimited(syscallprof.Frame.create({ snapshot: last })).finish());
    return { bytes: Buffer.concat(frames), rows, spanNs: end - start };
  }

  private trim(nowMs: number): void {
    let drop = 0;
    let rows = this.rows;
    while (drop < this.kept.length && (this.kept[drop]!.arrivedMs < nowMs - this.options.windowMs || rows > this.options.maxEvents)) {
      rows -= this.kept[drop]!.rows;
      drop += 1;
    }
    if (drop > 0) this.kept = this.kept.slice(drop);
    this.rows = rows;
  }
}

// The rows of one process (and its process events, data and io_uring requests).
function rowsOf(b: syscallprof.EventBatch, pid: number): syscallprof.EventBatch {
  const keep: number[] = [];
  for (let i = 0; i < b.pid.length; i++) if (b.pid[i] === pid) keep.push(i);
  const pick = <T>(col: T[]): T[] => (col.length === b.pid.length ? keep.map((i) => col[i]!) : col.length === 0 ? col : []);
  const newRow = new Map(keep.map((old, row) => [old, row] as const));
  const uring = b.ioUring;
  let ioUring: syscallprof.IoUringRequests | null = null;
  if (uring != null && uring.pid.length > 0) {
    const ukeep: number[] = [];
    for (let i = 0; i < uring.pid.length; i++) if (uring.pid[i] === pid) ukeep.push(i);
    const upick = <T>(col: T[]): T[] => (col.length === uring.pid.length ? ukeep.map((i) => col[i]!) : []);
    ioUring = syscallprof.IoUringRequests.create({
      startNs: upick(uring.startNs),
      durationNs: upick(uring.durationNs),
      pid: upick(uring.pid),
      tid: upick(uring.tid),
      opcode: upick(uring.opcode),
      fd: upick(uring.fd),
      offset: upick(uring.offset),
      length: upick(uring.length),
      result: upick(uring.result),
      punted: upick(uring.punted),
      ring: upick(uring.ring),
      fixedFile: upick(uring.fixedFile),
    });
  }
  const stackIds = new Set(pick(b.stackId));
  return syscallprof.EventBatch.create({
    startNs: pick(b.startNs),
    durationNs: pick(b.durationNs),
    pid: pick(b.pid),
    tid: pick(b.tid),
    nr: pick(b.nr),
    ret: pick(b.ret),
    arg0: pick(b.arg0),
    arg1: pick(b.arg1),
    arg2: pick(b.arg2),
    arg3: pick(b.arg3),
    arg4: pick(b.arg4),
    arg5: pick(b.arg5),
    pos: pick(b.pos),
    data: b.data.filter((d) => newRow.has(d.row)).map((d) => syscallprof.EventData.create({ row: newRow.get(d.row)!, kind: d.kind, value: d.value })),
    processEvents: b.processEvents.filter((e) => e.pid === pid || e.child === pid),
    offCpuNs: pick(b.offCpuNs),
    runqNs: pick(b.runqNs),
    stackId: pick(b.stackId),
    stackDefs: b.stackDefs.filter((s) => stackIds.has(s.id)),
    ...(ioUring === null ? {} : { ioUring }),
  });
}

// Rows of an EventBatch frame body: the varints of its packed pid column, counted without decoding the batch.
export function countRows(body: Uint8Array): number {
  let p = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = body[p++]!;
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 128;
    }
  };
  // the Frame: tag, length, then the EventBatch
  p = 1;
  const end = varint() + p;
  let rows = 0;
  while (p < end) {
    const tag = varint();
    const wire = tag & 7;
    const pidColumn = tag >>> 3 === PID_FIELD;
    if (wire === 0) {
      varint();
      // an unpacked column: one tag per row
      if (pidColumn) rows += 1;
    } else if (wire === 1) p += 8;
    else if (wire === 5) p += 4;
    else if (wire === 2) {
      const len = varint();
      if (pidColumn) for (let i = p; i < p + len; i++) if (body[i]! < 0x80) rows += 1;
      p += len;
    } else break;
  }
  return rows;
}
