// Decoding of Frame messages with protobufjs reflection over proto/syscall_prof.proto.
import protobuf from 'protobufjs';
import { protoPath } from '../paths.js';
import { decodeEventsFrame, frameBody, headerStartRealNs } from './event-decode.js';
import { installStatsDecoder } from './stats-decode.js';
import type { WireFrame, WireHeader } from './wire-types.js';

let frameType: protobuf.Type | undefined;

// The Frame type, loaded once; 64-bit integers decode to JS numbers, not Long objects.
export function frameMessageType(): protobuf.Type {
  if (frameType === undefined) {
    // without util.Long, protobufjs reads uint64 as (possibly rounded) numbers;
    // this must happen before the schema is parsed
    protobuf.util.Long = undefined as unknown as protobuf.Constructor<protobuf.Long>;
    protobuf.configure();
    const root = protobuf.loadSync(protoPath());
    installStatsDecoder(root.lookupType('syscallprof.SyscallStats'));
    frameType = root.lookupType('syscallprof.Frame');
  }
  return frameType;
}

// Field number of Frame.events.
const EVENTS_BODY = 3;

// Decodes one Frame message body (without its length prefix); throws on malformed
// bytes. Event batches take the hand-written columnar decoder, the rest protobufjs.
export function decodeFrame(bytes: Uint8Array): WireFrame {
  if (frameBody(bytes) === EVENTS_BODY) return { header: null, snapshot: null, events: decodeEventsFrame(bytes) };
  const decoded = frameMessageType().decode(bytes) as unknown as { header: WireHeader | null; snapshot: WireFrame['snapshot'] };
  const header = decoded.header ?? null;
  if (header !== null) header.startRealNsText = headerStartRealNs(bytes);
  return { header, snapshot: decoded.snapshot ?? null, events: null };
}

// Encodes a Frame message body from a plain object (used by tests and fixtures).
export function encodeFrame(frame: Record<string, unknown>): Uint8Array {
  const type = frameMessageType();
  const problem = type.verify(frame);
  if (problem !== null) throw new Error(`bad frame object: ${problem}`);
  return type.encode(type.fromObject(frame)).finish();
}
