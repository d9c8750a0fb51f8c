// Decoding of Frame messages (proto/syscall_prof.proto): which body a frame
// carries, then that body's decoder. The types are the ones generated from the
// proto at build time (src/core/wire/generated/, made by `make ts-gen`).
import { decodeEventBatch, type WireEventBatch } from './event-decode.js';
import { syscallprof } from './proto.js';
import { decodeHeader, type WireHeader } from './header-decode.js';
import { decodeSnapshot } from './snapshot-decode.js';
import { check, hi, LEN, lo, readVarint, skip } from './wire-varint.js';

export type { WireEventBatch } from './event-decode.js';
export type { WireHeader } from './header-decode.js';

// A decoded snapshot (values still untrusted).
export type WireSnapshot = syscallprof.Snapshot;

// A decoded controller note (values still untrusted).
export type WireNote = syscallprof.CaptureNote;

// A decoded frame: exactly one of header / snapshot / events / note is set in a valid frame.
export interface WireFrame {
  header: WireHeader | null;
  snapshot: WireSnapshot | null;
  events: WireEventBatch | null;
  note?: WireNote | null;
}

// Frame fields: the body oneof.
const HEADER = 1;
const SNAPSHOT = 2;
const EVENTS = 3;
const NOTE = 20;

// Decodes one Frame message (without its length prefix); throws on malformed bytes.
export function decodeFrame(bytes: Uint8Array): WireFrame {
  // the body's field and extent; as protobuf's oneof rule says, the last one wins
  let body = 0;
  let start = 0;
  let end = 0;
  for (let p = 0; p < bytes.length; ) {
    p = readVarint(bytes, p, bytes.length);
    const field = (lo >>> 3) | (hi << 29);
    const wt = lo & 7;
    if (field === HEADER || field === SNAPSHOT || field === EVENTS || field === NOTE) {
      if (wt !== LEN) throw new Error(`frame field ${field} has wire type ${wt}, expected ${LEN}`);
      if (body !== 0 && body !== field) throw new Error(`frame has two bodies (fields ${body} and ${field})`);
      body = field;
      start = readVarint(bytes, p, bytes.length);
      end = check(start + (lo >>> 0), bytes.length);
      p = end;
    } else {
      p = skip(bytes, p, bytes.length, wt);
    }
  }
  return {
    header: body === HEADER ? decodeHeader(bytes, start, end) : null,
    snapshot: body === SNAPSHOT ? decodeSnapshot(bytes, start, end) : null,
    events: body === EVENTS ? decodeEventBatch(bytes, start, end) : null,
    note: body === NOTE ? syscallprof.CaptureNote.decode(bytes.subarray(start, end)) : null,
  };
}
