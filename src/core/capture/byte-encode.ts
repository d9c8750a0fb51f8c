// Encoding numbers and cached strings straight into a byte buffer: the capture
// writers build rows this way because a string per row made the garbage
// collector the bottleneck of a busy trace.

const ZERO = 0x30;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

// Distinct strings whose encoded bytes a cache keeps.
const MAX_CACHED = 1 << 14;

// The encoded bytes of a string (encode: its CSV field or JSON text), cached:
// captures repeat the same comms, syscall names and paths over and over.
export class EncodedStrings {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(private readonly encode: (text: string) => string) {}

  // The UTF-8 bytes of encode(text).
  of(text: string): Uint8Array {
    let bytes = this.cache.get(text);
    if (bytes === undefined) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      bytes = Buffer.from(this.encode(text), 'utf8');
      this.cache.set(text, bytes);
    }
    return bytes;
  }
}

// Copies bytes to out at p; returns the position after them.
export function putBytes(out: Buffer, p: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n > 32) {
    out.set(bytes, p);
    return p + n;
  }
  for (let k = 0; k < n; k++) out[p + k] = bytes[k]!;
  return p + n;
}

// Decimal digits of a non-negative integer below 2^53; returns the position after them.
export function putUint(out: Buffer, p: number, v: number): number {
  if (v < 2147483648) {
    const n = digits31(v);
    let q = p + n;
    while (v >= 10) {
      const t = (v / 10) | 0;
      out[--q] = ZERO + v - t * 10;
      v = t;
    }
    out[--q] = ZERO + v;
    return p + n;
  }
  // above 2^31: the top digits, then the last 9 zero-padded
  const high = Math.floor(v / 1e9);
  p = putUint(out, p, high);
  return putPadded(out, p, v - high * 1e9, 9);
}

// Number of decimal digits of 0 <= v < 2^31.
function digits31(v: number): number {
  if (v < 100000) return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
  return v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

// An integer (possibly negative; non-integers are rounded); returns the position after it.
export function putInt(out: Buffer, p: number, v: number): number {
  if (!Number.isInteger(v)) v = Math.round(v);
  if (v < 0) {
    out[p++] = 0x2d;
    v = -v;
  }
  if (v > Number.MAX_SAFE_INTEGER) {
    // beyond 2^53 the value is already rounded: write what the number says
    return p + out.write(BigInt(v).toString(), p, 'latin1');
  }
  return putUint(out, p, v);
}

// Exactly `width` digits (at most 9), zero-padded; returns the position after them.
export function putPadded(out: Buffer, p: number, v: number, width: number): number {
  for (let q = p + width - 1; q >= p; q--) {
    const t = (v / 10) | 0;
    out[q] = ZERO + v - t * 10;
    v = t;
  }
  return p + width;
}

// "0x" + lowercase hex of a 64-bit value given as halves, without leading zeros.
export function putHex(out: Buffer, p: number, lo: number, hi: number): number {
  out[p++] = ZERO;
  out[p++] = 0x78;
  if (hi !== 0) {
    p = putNibbles(out, p, hi, nibbles(hi));
    return putNibbles(out, p, lo, 8);
  }
  return putNibbles(out, p, lo, nibbles(lo));
}

function nibbles(v: number): number {
  let n = 1;
  while (n < 8 && v >>> (4 * n) !== 0) n++;
  return n;
}

function putNibbles(out: Buffer, p: number, v: number, n: number): number {
  for (let k = n - 1; k >= 0; k--) out[p++] = HEX_DIGITS[(v >>> (4 * k)) & 0xf]!;
  return p;
}


// A wall-clock timestamp, start + offsetNs, as decimal ns since the epoch (exact:
// seconds and a 9-digit fraction); returns the position after it.
export function putWallNs(out: Buffer, p: number, startSec: number, startNs: number, offsetNs: number): number {
  let ns = startNs + Math.round(offsetNs);
  let sec = startSec;
  if (ns >= 1e9 || ns < 0) {
    const carry = Math.floor(ns / 1e9);
    sec += carry;
    ns -= carry * 1e9;
  }
  if (sec > 0) {
    p = putUint(out, p, sec);
    return putPadded(out, p, ns, 9);
  }
  return putUint(out, p, ns);
}
