// Hand-written decoding of SyscallStats, the bulk of every snapshot (one per
// syscall and one per (process, syscall)), used in place of the generated
// decoder, which builds a LongBits object per 64-bit value. Tests check that
// both read the same.
import { syscallprof } from './proto.js';
import { hi, LEN, lo, readVarint, skip, unsigned, VARINT } from './wire-varint.js';

// SyscallStats fields (proto/syscall_prof.proto).
const TGID = 1;
const NR = 2;
const COUNT = 3;
const ERRORS = 4;
const TOTAL_NS = 5;
const MAX_NS = 6;
const BUCKET_INDEX = 7;
const BUCKET_COUNT = 8;
const OFF_CPU_NS = 9;
const RUNQ_NS = 10;

// Decodes a SyscallStats message in buf[start, end) as the generated decoder
// would (uint64 as numbers, rounded above 2^53; repeated fields packed or not;
// unknown fields skipped; the last value of a scalar wins); throws on malformed bytes.
export function decodeSyscallStats(buf: Uint8Array, start: number, end: number): syscallprof.SyscallStats {
  const st = new syscallprof.SyscallStats();
  // every field its own property, in one order: one shape for thousands per snapshot
  st.tgid = 0;
  st.nr = 0;
  st.count = 0;
  st.errors = 0;
  st.totalNs = 0;
  st.maxNs = 0;
  st.offCpuNs = 0;
  st.runqNs = 0;
  let p = start;
  while (p < end) {
    p = readVarint(buf, p, end);
    const field = (lo >>> 3) | (hi << 29);
    const wt = lo & 7;
    if (wt === VARINT && field >= TGID && field <= RUNQ_NS) {
      p = readVarint(buf, p, end);
      switch (field) {
        case TGID:
          st.tgid = lo >>> 0;
          break;
        case NR:
          st.nr = lo >>> 0;
          break;
        case COUNT:
          st.count = unsigned();
          break;
        case ERRORS:
          st.errors = unsigned();
          break;
        case TOTAL_NS:
          st.totalNs = unsigned();
          break;
        case MAX_NS:
          st.maxNs = unsigned();
          break;
        case BUCKET_INDEX:
          st.bucketIndex.push(lo >>> 0);
          break;
        case BUCKET_COUNT:
          st.bucketCount.push(unsigned());
          break;
        case OFF_CPU_NS:
          st.offCpuNs = unsigned();
          break;
        default:
          st.runqNs = unsigned();
      }
    } else if (wt === LEN && (field === BUCKET_INDEX || field === BUCKET_COUNT)) {
      p = readVarint(buf, p, end);
      const to = p + (lo >>> 0);
      if (to > end) throw new Error(`packed field ${field} runs past the end of its message (byte ${end})`);
      const list = field === BUCKET_INDEX ? st.bucketIndex : st.bucketCount;
      while (p < to) {
        p = readVarint(buf, p, to);
        list.push(field === BUCKET_INDEX ? lo >>> 0 : unsigned());
      }
    } else {
      p = skip(buf, p, end, wt);
    }
  }
  return st;
}
