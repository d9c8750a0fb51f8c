// io_uring requests one by one (event mode), by column like EventBatch: each
// completed request with its opcode, fd (and the path behind it), offset,
// length, result, latency, whether it was punted, and which thread and ring
// submitted it. They travel beside the syscall rows of an EventBatch.
import { ioUringOpName } from './io-uring.js';

// One completed request, as a plain object (tests, small inputs).
export interface IoUringRequest {
  // submission time, ns since the capture started
  readonly startNs: number;
  // submit -> complete
  readonly durationNs: number;
  readonly pid: number;
  // the submitting thread (an SQPOLL ring's: its iou-sqp thread)
  readonly tid: number;
  readonly comm: string;
  readonly opcode: number;
  // the sqe's fd; with fixedFile, an index into the ring's registered files
  readonly fd: number;
  readonly fixedFile: boolean;
  // the sqe's file offset; null when the request uses the file position (offset -1) or has none
  readonly offset: number | null;
  // the sqe's length: bytes for reads, writes, sends and receives, iovecs for
  // READV/WRITEV, the range for FSYNC/SYNC_FILE_RANGE/FALLOCATE; 0 otherwise
  readonly length: number;
  // the completion's result: bytes, or -errno
  readonly result: number;
  readonly punted: boolean;
  // an opaque id of the ring (the same for requests of one ring within a capture)
  readonly ring: number;
  // the file or socket fd stood for when the request was submitted, when known
  readonly path: string | null;
}

// Requests by column; row i of every column is one request.
export class IoUringRequests {
  length = 0;
  startNs: Float64Array;
  durationNs: Float64Array;
  pid: Int32Array;
  tid: Int32Array;
  opcode: Uint8Array;
  fd: Int32Array;
  fixedFile: Uint8Array;
  // NaN: no offset (the file position)
  offset: Float64Array;
  len: Uint32Array;
  result: Int32Array;
  punted: Uint8Array;
  ring: Uint32Array;
  comm: string[];
  path: (string | null)[];

  constructor(public capacity = 1024) {
    this.startNs = new Float64Array(capacity);
    this.durationNs = new Float64Array(capacity);
    this.pid = new Int32Array(capacity);
    this.tid = new Int32Array(capacity);
    this.opcode = new Uint8Array(capacity);
    this.fd = new Int32Array(capacity);
    this.fixedFile = new Uint8Array(capacity);
    this.offset = new Float64Array(capacity);
    this.len = new Uint32Array(capacity);
    this.result = new Int32Array(capacity);
    this.punted = new Uint8Array(capacity);
    this.ring = new Uint32Array(capacity);
    this.comm = new Array<string>(capacity);
    this.path = new Array<string | null>(capacity);
  }

  // Whether another row fits.
  get full(): boolean {
    return this.length === this.capacity;
  }

  // Appends one request; throws when full (check `full` first).
  push(r: IoUringRequest): void {
    if (this.full) throw new RangeError(`io_uring request batch is full (${this.capacity} rows)`);
    const i = this.length++;
    this.startNs[i] = r.startNs;
    this.durationNs[i] = r.durationNs;
    this.pid[i] = r.pid;
    this.tid[i] = r.tid;
    this.opcode[i] = r.opcode;
    this.fd[i] = r.fd;
    this.fixedFile[i] = r.fixedFile ? 1 : 0;
    this.offset[i] = r.offset ?? Number.NaN;
    this.len[i] = r.length;
    this.result[i] = r.result;
    this.punted[i] = r.punted ? 1 : 0;
    this.ring[i] = r.ring;
    this.comm[i] = r.comm;
    this.path[i] = r.path;
  }

  // Appends one request, growing when full (requests are few next to syscalls).
  add(r: IoUringRequest): void {
    if (this.full) this.grow();
    this.push(r);
  }

  // Row i as a plain object.
  row(i: number): IoUringRequest {
    if (i < 0 || i >= this.length) throw new RangeError(`io_uring request ${i} is outside 0..${this.length - 1}`);
    const offset = this.offset[i]!;
    return {
      startNs: this.startNs[i]!,
      durationNs: this.durationNs[i]!,
      pid: this.pid[i]!,
      tid: this.tid[i]!,
      comm: this.comm[i]!,
      opcode: this.opcode[i]!,
      fd: this.fd[i]!,
      fixedFile: this.fixedFile[i] === 1,
      offset: Number.isNaN(offset) ? null : offset,
      length: this.len[i]!,
      result: this.result[i]!,
      punted: this.punted[i] === 1,
      ring: this.ring[i]!,
      path: this.path[i] ?? null,
    };
  }

  // Every row as plain objects (small batches, tests).
  rows(): IoUringRequest[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }

  // The opcode name of row i ("read", "fsync", ...).
  op(i: number): string {
    return ioUringOpName(this.opcode[i]!);
  }

  // twice the room, the rows kept: every column of a bigger batch taken over
  private grow(): void {
    const bigger = new IoUringRequests(Math.max(16, this.capacity * 2));
    for (let i = 0; i < this.length; i++) bigger.push(this.row(i));
    Object.assign(this, bigger);
  }
}

// Requests from plain objects, in one batch.
export function ioUringRequestsOf(rows: readonly IoUringRequest[]): IoUringRequests {
  const out = new IoUringRequests(Math.max(1, rows.length));
  for (const r of rows) out.push(r);
  return out;
}
