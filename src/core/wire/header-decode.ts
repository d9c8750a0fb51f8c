// Header frames: the generated decoder, plus what it cannot give: start_real_ns
// exactly, and the string fields of wire version 1 read into the enums that
// replaced them (recordings made by earlier loaders stay readable).
import { syscallprof } from './proto.js';
import { numberReader } from './number-reader.js';
import { ARCH_NAMES, COST_STATS_NAMES, enumOfName, MODE_NAMES } from './wire-enums.js';
import { check, hi, LEN, lo, readVarint, skip, VARINT } from './wire-varint.js';

// A decoded header, and start_real_ns exactly, in decimal (startRealNs is a
// number, rounded past 2^53). Values are still untrusted.
export type WireHeader = syscallprof.Header & { readonly startRealNsText: string };

// Header fields read by hand.
const START_REAL_NS = 7;
// wire version 1 had arch, mode and cost_stats as strings in these (now reserved)
const V1_ARCH = 2;
const V1_MODE = 3;
const V1_COST_STATS = 14;

const utf8 = new TextDecoder();

// Decodes the Header message in buf[start, end); throws on malformed bytes.
export function decodeHeader(buf: Uint8Array, start: number, end: number): WireHeader {
  const reader = numberReader(buf);
  reader.pos = start;
  const header = syscallprof.Header.decode(reader, end - start);
  const v1 = header.version === 1;
  let startRealNsText = '0';
  for (let p = start; p < end; ) {
    p = readVarint(buf, p, end);
    const field = lo >>> 3;
    const wt = lo & 7;
    if (field === START_REAL_NS && wt === VARINT) {
      p = readVarint(buf, p, end);
      startRealNsText = ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
    } else if (v1 && wt === LEN && (field === V1_ARCH || field === V1_MODE || field === V1_COST_STATS)) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      const name = utf8.decode(buf.subarray(p, to));
      if (field === V1_ARCH) header.arch = enumOfName(ARCH_NAMES, name);
      else if (field === V1_MODE) header.mode = enumOfName(MODE_NAMES, name);
      else header.costStats = enumOfName(COST_STATS_NAMES, name);
      p = to;
    } else {
      p = skip(buf, p, end, wt);
    }
  }
  return Object.assign(header, { startRealNsText });
}
