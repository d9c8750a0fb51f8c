// Synthetic event-mode frames (EventBatch, encoded with protobufjs from the real
// .proto) for the capture and backend tests.
import { syscallprof } from '../../../src/core/wire/proto.js';
import { encodeStream, headerFrame, snapshotFrame, StopReason } from '../../helpers/frames.js';

// Header.start_mono_ns of headerFrame(): rows' start_ns are this plus their offset.
export const START_MONO = 1_000_000_000;

// One call as the test writes it; times are ns after the start.
export interface WireRow {
  readonly at: number;
  readonly dur?: number;
  readonly pid?: number;
  readonly tid?: number;
  readonly nr: number;
  readonly ret?: number;
  readonly args?: readonly (number | bigint)[];
  readonly pos?: number;
  readonly path?: string;
  readonly sockaddr?: Uint8Array;
  readonly pipe?: readonly [number, number];
  // off-CPU and runnable parts (columns 16, 17: written when any row has them)
  readonly off?: number;
  readonly runq?: number;
  // its StackDef id (column 18: written when any row has one)
  readonly stack?: number;
}

// A process event as the test writes it (kind: 0 FORK, 1 EXEC, 2 EXIT, 3 NAME).
export interface WireProc {
  readonly kind: number;
  readonly at: number;
  readonly pid: number;
  readonly child?: number;
  readonly comm?: string;
}

// An event-mode header frame object.
export function eventHeader(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return headerFrame({ events: true, ringbufBytes: 16 << 20, ...overrides });
}

// Protobuf encoding by hand (BigInt varints), independent of the decoder under
// test and exact for 64-bit values, which protobufjs without Long cannot encode.
class Pb {
  private readonly parts: number[] = [];

  varint(v: bigint): this {
    let x = BigInt.asUintN(64, v);
    do {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      this.parts.push(x > 0n ? byte | 0x80 : byte);
    } while (x > 0n);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(BigInt((field << 3) | wireType));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2).varint(BigInt(value.length));
    for (const b of value) this.parts.push(b);
    return this;
  }

  // a packed repeated varint field (omitted when empty, as encoders do)
  packed(field: number, values: readonly bigint[]): this {
    if (values.length === 0) return this;
    const inner = new Pb();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const zigzag = (v: bigint): bigint => (v >= 0n ? v << 1n : ((-v) << 1n) - 1n);

// The bytes of one EventBatch message.
// `stackDefs`: StackDef objects (field 19), encoded with the generated encoder.
export function eventBatchBytes(rows: readonly WireRow[], procs: readonly WireProc[] = [], stackDefs: readonly Record<string, unknown>[] = []): Uint8Array {
  const pb = new Pb();
  const col = (f: (r: WireRow) => bigint) => rows.map(f);
  pb.packed(1, col((r) => BigInt(START_MONO) + BigInt(r.at)));
  pb.packed(2, col((r) => BigInt(r.dur ?? 1000)));
  pb.packed(3, col((r) => BigInt(r.pid ?? 4242)));
  pb.packed(4, col((r) => BigInt(r.tid ?? r.pid ?? 4242)));
  pb.packed(5, col((r) => BigInt(r.nr)));
  pb.packed(6, col((r) => zigzag(BigInt(r.ret ?? 0))));
  for (let k = 0; k < 6; k++) pb.packed(7 + k, col((r) => BigInt(r.args?.[k] ?? 0)));
  pb.packed(13, col((r) => zigzag(BigInt(r.pos ?? -1))));
  if (rows.some((r) => r.off !== undefined)) {
    pb.packed(16, col((r) => BigInt(r.off ?? 0)));
    pb.packed(17, col((r) => BigInt(r.runq ?? 0)));
  }
  if (rows.some((r) => r.stack !== undefined)) pb.packed(18, col((r) => BigInt(r.stack ?? 0)));
  for (const d of stackDefs) pb.bytes(19, syscallprof.StackDef.encode(syscallprof.StackDef.fromObject(d)).finish());
  rows.forEach((r, row) => {
    const datum = (kind: number, value: Uint8Array) => {
      const d = new Pb().tag(1, 0).varint(BigInt(row)).tag(2, 0).varint(BigInt(kind)).bytes(3, value).finish();
      pb.bytes(14, d);
    };
    if (r.path !== undefined) datum(0, Buffer.from(r.path));
    if (r.sockaddr !== undefined) datum(1, r.sockaddr);
    if (r.pipe !== undefined) {
      const v = Buffer.alloc(8);
      v.writeInt32LE(r.pipe[0], 0);
      v.writeInt32LE(r.pipe[1], 4);
      datum(2, v);
    }
  });
  for (const p of procs) {
    const e = new Pb().tag(1, 0).varint(BigInt(p.kind)).tag(2, 0).varint(BigInt(START_MONO + p.at)).tag(3, 0).varint(BigInt(p.pid));
    if (p.child !== undefined) e.tag(4, 0).varint(BigInt(p.child));
    if (p.comm !== undefined) e.bytes(5, Buffer.from(p.comm));
    pb.bytes(15, e.finish());
  }
  return pb.finish();
}

// One length-prefixed Frame whose body is an EventBatch.
export function eventsFrame(rows: readonly WireRow[], procs: readonly WireProc[] = [], stackDefs: readonly Record<string, unknown>[] = []): Buffer {
  const frame = new Pb().bytes(3, eventBatchBytes(rows, procs, stackDefs)).finish();
  const prefix = new Pb().varint(BigInt(frame.length)).finish();
  return Buffer.concat([prefix, frame]);
}

// A whole event-mode stream: header, the event frames, a final snapshot.
export function eventStream(batches: readonly Buffer[], final: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Buffer {
  return Buffer.concat([
    encodeStream([eventHeader(header)]),
    ...batches,
    encodeStream([snapshotFrame({ seq: 1, final: true, stopReason: StopReason.STOP_REASON_TARGET_EXIT, ...final })]),
  ]);
}
