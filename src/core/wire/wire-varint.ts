// The one protobuf varint reader of the TS side: the hand-written decoders
// (frames, snapshots, per-syscall stats, event batches), the 64-bit reads of the
// generated decoders (number-reader.ts) and the frame length prefix all use it.
// No allocation per value.

// Protobuf wire types.
export const VARINT = 0;
const I64 = 1;
export const LEN = 2;
const I32 = 5;

// result of the last readVarint: low and high 32 bits (as signed int32s)
export let lo = 0;
export let hi = 0;

// Reads one varint at p into lo/hi and returns the position after it; a varint
// running past `end` (or longer than 10 bytes) throws.
export function readVarint(buf: Uint8Array, p: number, end: number): number {
  let b = buf[p++]!;
  lo = b & 0x7f;
  hi = 0;
  if (b < 0x80) return check(p, end);
  b = buf[p++]!;
  lo |= (b & 0x7f) << 7;
  if (b < 0x80) return check(p, end);
  b = buf[p++]!;
  lo |= (b & 0x7f) << 14;
  if (b < 0x80) return check(p, end);
  b = buf[p++]!;
  lo |= (b & 0x7f) << 21;
  if (b < 0x80) return check(p, end);
  b = buf[p++]!;
  lo |= (b & 0x0f) << 28;
  hi = (b & 0x7f) >>> 4;
  if (b < 0x80) return check(p, end);
  for (let shift = 3; shift < 32; shift += 7) {
    b = buf[p++]!;
    hi |= (b & 0x7f) << shift;
    if (b < 0x80) return check(p, end);
  }
  throw new Error(`varint at byte ${p - 10} is longer than 10 bytes`);
}

export function check(p: number, end: number): number {
  if (p > end) throw new Error(`varint runs past the end of its field (byte ${end})`);
  return p;
}

// lo/hi as an unsigned number (rounded above 2^53)
export function unsigned(): number {
  return (hi >>> 0) * 4294967296 + (lo >>> 0);
}

// lo/hi as a two's complement (int64) number (rounded beyond +-2^53)
export function signed(): number {
  return hi * 4294967296 + (lo >>> 0);
}

// lo/hi as a zigzag-decoded (sint64) number (rounded beyond +-2^53)
export function zigzag(): number {
  const mask = -(lo & 1);
  const l = ((lo >>> 1) | (hi << 31)) ^ mask;
  const h = (hi >>> 1) ^ mask;
  return h * 4294967296 + (l >>> 0);
}

// Skips a field of wire type `wt` whose value starts at p; returns the position after it.
export function skip(buf: Uint8Array, p: number, end: number, wt: number): number {
  switch (wt) {
    case VARINT:
      return readVarint(buf, p, end);
    case I64:
      return check(p + 8, end);
    case LEN:
      p = readVarint(buf, p, end);
      return check(p + (lo >>> 0), end);
    case I32:
      return check(p + 4, end);
    default:
      throw new Error(`unsupported wire type ${wt} at byte ${p}`);
  }
}

