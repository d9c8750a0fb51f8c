// Hand-written decoding of EventBatch.io_uring (IoUringRequests): packed
// columns straight into typed arrays, as event-decode.ts does for the rows.
import { columnRun, readHalves, readU32, readUnsigned, readZigzag } from './packed-columns.js';
import { LEN, lo, readVarint, skip, VARINT } from './wire-varint.js';

// IoUringRequests as decoded (lengths may differ until validation says otherwise).
export interface WireIoUringRequests {
  startLo: Uint32Array;
  startHi: Uint32Array;
  durationNs: Float64Array;
  pid: Uint32Array;
  tid: Uint32Array;
  opcode: Uint32Array;
  fd: Float64Array;
  offsetLo: Uint32Array;
  offsetHi: Uint32Array;
  length: Uint32Array;
  result: Float64Array;
  punted: Uint32Array;
  ring: Uint32Array;
  fixedFile: Uint32Array;
}

// fields 1..12, all columns
const FIELDS = 12;

// Decodes an IoUringRequests message in buf[start, end); throws on malformed bytes.
export function decodeIoUringRequests(buf: Uint8Array, start: number, end: number): WireIoUringRequests {
  const segments: number[][] = Array.from({ length: FIELDS + 1 }, () => []);
  const counts = new Array<number>(FIELDS + 1).fill(0);
  for (let p = start; p < end; ) {
    p = readVarint(buf, p, end);
    const field = lo >>> 3;
    const wt = lo & 7;
    if (field >= 1 && field <= FIELDS && (wt === LEN || wt === VARINT)) {
      const [to, count] = columnRun(buf, p, end, wt, segments[field]!);
      counts[field]! += count;
      p = to;
    } else {
      p = skip(buf, p, end, wt);
    }
  }
  const u32 = (field: number): Uint32Array => {
    const out = new Uint32Array(counts[field]!);
    readU32(buf, segments[field]!, out);
    return out;
  };
  const halves = (field: number): [Uint32Array, Uint32Array] => {
    const los = new Uint32Array(counts[field]!);
    const his = new Uint32Array(counts[field]!);
    readHalves(buf, segments[field]!, los, his);
    return [los, his];
  };
  const signed = (field: number): Float64Array => {
    const out = new Float64Array(counts[field]!);
    readZigzag(buf, segments[field]!, out);
    return out;
  };
  const durationNs = new Float64Array(counts[2]!);
  readUnsigned(buf, segments[2]!, durationNs);
  const [startLo, startHi] = halves(1);
  const [offsetLo, offsetHi] = halves(7);
  return {
    startLo,
    startHi,
    durationNs,
    pid: u32(3),
    tid: u32(4),
    opcode: u32(5),
    fd: signed(6),
    offsetLo,
    offsetHi,
    length: u32(8),
    result: signed(9),
    punted: u32(10),
    // the loader's ids are 32 bits: the low half is the id
    ring: u32(11),
    fixedFile: u32(12),
  };
}

// Durations beyond 2^53 ns (104 days) are not plausible.
const MAX_NS = 2 ** 53;

// What is wrong with a batch's io_uring requests, or null.
export function ioUringRequestsProblem(u: WireIoUringRequests): string | null {
  const n = u.startLo.length;
  const columns = [u.durationNs, u.pid, u.tid, u.opcode, u.fd, u.offsetLo, u.length, u.result, u.punted, u.ring, u.fixedFile];
  const names = ['duration_ns', 'pid', 'tid', 'opcode', 'fd', 'offset', 'length', 'result', 'punted', 'ring', 'fixed_file'];
  for (let c = 0; c < columns.length; c++) {
    if (columns[c]!.length !== n) return `io_uring column ${names[c]} has ${columns[c]!.length} values, start_ns has ${n}`;
  }
  for (let i = 0; i < n; i++) {
    if (u.pid[i] === 0 || u.tid[i] === 0) return `io_uring request ${i} has pid ${u.pid[i]} tid ${u.tid[i]}`;
    if (u.opcode[i]! > 255) return `io_uring request ${i} has opcode ${u.opcode[i]}`;
    if (!(u.durationNs[i]! < MAX_NS)) return `io_uring request ${i} has duration ${u.durationNs[i]} ns`;
    if (u.punted[i]! > 1 || u.fixedFile[i]! > 1) return `io_uring request ${i} has a flag that is neither 0 nor 1`;
  }
  return null;
}
