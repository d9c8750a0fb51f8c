// protobufjs readers whose 64-bit integers come out as JS numbers (rounded
// above 2^53, as the hand-written decoders read them), through the one varint
// reader. The generated decoders run on these, so nothing switches protobufjs'
// process-wide util.Long off: other users of protobufjs (the OTLP exporter) keep
// their Long values.
import protobuf from 'protobufjs/minimal.js';
import { readVarint, signed, unsigned, zigzag } from './wire-varint.js';

// The 64-bit varint reads, as numbers. protobufjs declares them as returning
// Long, so they are mixed into the prototypes below rather than declared as
// overrides. (fixed64/sfixed64 are not in the proto and keep protobufjs' reads.)
const numberReads = {
  uint64(this: protobuf.Reader): number {
    this.pos = readVarint(this.buf, this.pos, this.len);
    return unsigned();
  },
  int64(this: protobuf.Reader): number {
    this.pos = readVarint(this.buf, this.pos, this.len);
    return signed();
  },
  sint64(this: protobuf.Reader): number {
    this.pos = readVarint(this.buf, this.pos, this.len);
    return zigzag();
  },
};

class NumberReader extends protobuf.Reader {}
// for node Buffers: protobufjs' BufferReader decodes strings with Buffer's own utf8
class NumberBufferReader extends protobuf.BufferReader {}
Object.assign(NumberReader.prototype, numberReads);
Object.assign(NumberBufferReader.prototype, numberReads);

// A reader over `bytes` for the generated decoders, with 64-bit integers as numbers.
export function numberReader(bytes: Uint8Array): protobuf.Reader {
  return Buffer.isBuffer(bytes) ? new NumberBufferReader(bytes) : new NumberReader(bytes);
}
