// Decoding of Frame messages with protobufjs reflection over proto/syscall_prof.proto.
import protobuf from 'protobufjs';
import { protoPath } from '../../paths.js';
import type { WireFrame } from './wire-types.js';

let frameType: protobuf.Type | undefined;

// The Frame type, loaded once; 64-bit integers decode to JS numbers, not Long objects.
export function frameMessageType(): protobuf.Type {
  if (frameType === undefined) {
    // without util.Long, protobufjs reads uint64 as (possibly rounded) numbers;
    // this must happen before the schema is parsed
    protobuf.util.Long = undefined as unknown as protobuf.Constructor<protobuf.Long>;
    protobuf.configure();
    frameType = protobuf.loadSync(protoPath()).lookupType('syscallprof.Frame');
  }
  return frameType;
}

// Decodes one Frame message body (without its length prefix); throws on malformed bytes.
export function decodeFrame(bytes: Uint8Array): WireFrame {
  return frameMessageType().decode(bytes) as unknown as WireFrame;
}

// Encodes a Frame message body from a plain object (used by tests and fixtures).
export function encodeFrame(frame: Record<string, unknown>): Uint8Array {
  const type = frameMessageType();
  const problem = type.verify(frame);
  if (problem !== null) throw new Error(`bad frame object: ${problem}`);
  return type.encode(type.fromObject(frame)).finish();
}
