// Parquet capture writer (layout in parquet-schema.ts), on hyparquet-writer:
// rows are gathered by column and written a row group at a time, so memory
// stays bounded whatever the capture's length; the footer, with the metadata
// and trailer, is written on commit.
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import { errnoName } from '../model/errno.js';
import { ARG_COUNT, type CaptureMeta, type EventBatch } from '../model/events.js';
import { foldFrames } from '../model/folded-stack.js';
import type { AtomicFile } from './atomic-file.js';
import { sidecarText } from './csv-sidecar.js';
import { PARQUET_COLUMN_NAMES, PARQUET_META_KEY, PARQUET_SCHEMA } from './parquet-schema.js';
import type { CaptureTrailer, CaptureWriter } from './writer-types.js';

// rows per row group: ~10 MB of column data in memory at most
export const ROW_GROUP_ROWS = 1 << 17;
// bytes the encoder buffers before they go to the file
const FLUSH_BYTES = 1 << 20;

// hyparquet-writer's byte writer, emptied into the output file as it fills.
class FileSink extends ByteWriter {
  constructor(private readonly file: AtomicFile) {
    super(FLUSH_BYTES * 2);
  }

  override ensure(size: number): void {
    if (this.index > FLUSH_BYTES) this.drain();
    super.ensure(size);
  }

  override finish(): void {
    this.drain();
  }

  private drain(): void {
    if (this.index === 0) return;
    this.file.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }
}

// columns nobody filters row groups on: no min/max statistics (they cost a
// third of the encoding time)
const LEAN: ReadonlySet<string> = new Set(['arg0', 'arg1', 'arg2', 'arg3', 'arg4', 'arg5', 'pos', 'off_cpu_ns', 'runq_ns', 'path', 'comm', 'errno', 'stack']);
// folded stacks kept by id at most (a run with endless distinct stacks must not grow it without bound)
const MAX_STACKS_CACHED = 4096;

// One row group's columns being gathered.
class Columns {
  length = 0;
  readonly timestamp: BigInt64Array;
  readonly pid: Int32Array;
  readonly tid: Int32Array;
  readonly comm: string[] = [];
  readonly syscall: string[] = [];
  readonly duration: BigInt64Array;
  readonly ret: BigInt64Array;
  readonly errno: (string | null)[] = [];
  readonly args: BigUint64Array[];
  readonly pos: (bigint | null)[] = [];
  readonly offCpu: (bigint | null)[] = [];
  readonly runq: (bigint | null)[] = [];
  readonly path: (string | null)[] = [];
  readonly stack: (string | null)[] = [];

  constructor(readonly capacity: number) {
    this.timestamp = new BigInt64Array(capacity);
    this.pid = new Int32Array(capacity);
    this.tid = new Int32Array(capacity);
    this.duration = new BigInt64Array(capacity);
    this.ret = new BigInt64Array(capacity);
    this.args = Array.from({ length: ARG_COUNT }, () => new BigUint64Array(capacity));
  }

  // The gathered rows as hyparquet-writer's column sources, in the schema's order.
  sources(): ColumnSource[] {
    const n = this.length;
    const data = [
      this.timestamp.subarray(0, n),
      this.pid.subarray(0, n),
      this.tid.subarray(0, n),
      this.comm,
      this.syscall,
      this.duration.subarray(0, n),
      this.ret.subarray(0, n),
      this.errno,
      ...this.args.map((a) => a.subarray(0, n)),
      this.pos,
      this.offCpu,
      this.runq,
      this.path,
      this.stack,
    ];
    return PARQUET_COLUMN_NAMES.map((name, k) => ({ name, data: data[k]!, ...(LEAN.has(name) ? { statistics: false } : {}) }));
  }
}

const optionalNs = (v: number): bigint | null => (Number.isNaN(v) ? null : BigInt(Math.round(v)));

// Writes events as Parquet rows; the metadata and trailer go to the footer on commit.
export class ParquetCaptureWriter implements CaptureWriter {
  readonly format = 'parquet' as const;
  private readonly sink: FileSink;
  private readonly out: ParquetWriter;
  private readonly startNs: bigint;
  private cols: Columns;
  private count = 0;
  // folded stacks by id
  private readonly stacks = new Map<number, string>();

  constructor(
    private readonly file: AtomicFile,
    private readonly meta: CaptureMeta,
    private readonly rowGroupRows = ROW_GROUP_ROWS,
  ) {
    if (!/^\d{1,19}$/.test(meta.startRealNs)) throw new RangeError(`start_real_ns "${meta.startRealNs}" is not a decimal ns count`);
    this.startNs = BigInt(meta.startRealNs);
    this.sink = new FileSink(file);
    this.out = new ParquetWriter({ writer: this.sink, schema: PARQUET_SCHEMA, createdBy: 'syscall-prof' });
    this.cols = new Columns(rowGroupRows);
  }

  get path(): string {
    return this.file.path;
  }

  get rows(): number {
    return this.count;
  }

  write(b: EventBatch): void {
    for (let i = 0; i < b.length; i++) {
      if (this.cols.length === this.cols.capacity) this.flushGroup();
      this.row(b, i);
    }
    this.count += b.length;
  }

  writeRaw(): void {
    throw new Error('a Parquet capture takes event batches, not raw frames');
  }

  commit(trailer: CaptureTrailer): number {
    this.flushGroup();
    this.out.kvMetadata = [{ key: PARQUET_META_KEY, value: sidecarText(this.meta, trailer, this.count) }];
    this.out.finish();
    return this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }

  private flushGroup(): void {
    const c = this.cols;
    if (c.length === 0) return;
    void this.out.write({ columnData: c.sources(), rowGroupSize: c.length });
    this.cols = new Columns(this.rowGroupRows);
  }

  private row(b: EventBatch, i: number): void {
    const c = this.cols;
    const r = c.length++;
    c.timestamp[r] = this.startNs + BigInt(Math.round(b.startNs[i]!));
    c.pid[r] = b.pid[i]!;
    c.tid[r] = b.tid[i]!;
    c.comm.push(b.comm[i]!);
    c.syscall.push(b.syscall[i]!);
    c.duration[r] = BigInt(Math.round(b.durationNs[i]!));
    const ret = b.ret[i]!;
    c.ret[r] = BigInt(ret);
    c.errno.push(ret < 0 && ret >= -4095 ? errnoName(ret) : null);
    for (let k = 0; k < ARG_COUNT; k++) c.args[k]![r] = (BigInt(b.argHi[k]![i]!) << 32n) | BigInt(b.argLo[k]![i]!);
    c.pos.push(optionalNs(b.pos[i]!));
    c.offCpu.push(optionalNs(b.offCpuNs[i]!));
    c.runq.push(optionalNs(b.runqNs[i]!));
    c.path.push(b.path[i] ?? null);
    c.stack.push(this.stackOf(b, i));
  }

  // The folded stack of row i, or null when none was taken.
  private stackOf(b: EventBatch, i: number): string | null {
    const id = b.stackId[i]!;
    if (id === 0 || b.stacks === null) return null;
    let text = this.stacks.get(id);
    if (text === undefined) {
      const def = b.stacks.get(id);
      if (this.stacks.size >= MAX_STACKS_CACHED) this.stacks.clear();
      text = def === undefined ? '' : foldFrames(def.frames);
      this.stacks.set(id, text);
    }
    return text === '' ? null : text;
  }
}
