// Parquet capture reader (layout in parquet-schema.ts), on hyparquet: the
// footer (metadata, row count) is read when the file is opened, then one row
// group at a time, column by column, into event batches, in bounded memory.
import { closeSync, readSync } from 'node:fs';
import { parquetMetadata, parquetScan, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { InputError } from '../errors.js';
import { ARG_COUNT, EventBatch, type CaptureMeta, type CaptureSource } from '../model/events.js';
import { syscallNumber } from '../model/syscall-names.js';
import { parseSidecar } from './csv-sidecar.js';
import { openInputFile } from './input-file.js';
import { FoldedStacks } from './folded-stacks.js';
import { PARQUET_COLUMN_NAMES, PARQUET_LATER_COLUMNS, PARQUET_META_KEY } from './parquet-schema.js';
import { ProgressBar } from './progress.js';
import { BATCH_ROWS, type CaptureEnd, type CaptureFile, type ReaderOptions } from './reader-types.js';

// the footer length and the closing magic
const TAIL_BYTES = 8;
const U32 = 0x1_0000_0000n;

// Opens a Parquet capture: reads its footer now (InputError when it is not a
// syscall-prof Parquet capture or is cut short), the rows as `batches` is iterated.
export function openParquetCapture(path: string, options: ReaderOptions = {}): CaptureFile {
  return new ParquetCapture(path, options);
}

// The file as hyparquet's AsyncBuffer, read by position from an open fd.
function fdBuffer(fd: number, size: number): AsyncBuffer {
  return {
    byteLength: size,
    slice(start: number, end?: number): ArrayBuffer {
      const stop = end ?? size;
      const buf = Buffer.allocUnsafe(Math.max(0, stop - start));
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + got) as ArrayBuffer;
    },
  };
}

const asNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

class ParquetCapture implements CaptureSource {
  readonly meta: CaptureMeta;
  private readonly fd: number;
  private readonly file: AsyncBuffer;
  private readonly footer: FileMetaData;
  private readonly rowCount: number;
  private readonly startNs: bigint;
  private readonly batchRows: number;
  private readonly progress: ProgressBar | null;
  private consumed = false;
  // the columns this file has (one written before `stack` lacks it)
  private readonly columns: readonly string[];
  private readonly stacks = new FoldedStacks();

  constructor(
    private readonly path: string,
    options: ReaderOptions,
  ) {
    this.batchRows = options.batchRows ?? BATCH_ROWS;
    const { fd, size } = openInputFile(path);
    this.fd = fd;
    try {
      this.file = fdBuffer(fd, size);
      this.footer = this.readFooter(size);
      const entry = this.footer.key_value_metadata?.find((kv) => kv.key === PARQUET_META_KEY);
      if (entry?.value === undefined) throw new InputError(`no "${PARQUET_META_KEY}" key-value metadata: a Parquet file, but not a syscall-prof capture`, { file: path });
      const side = parseSidecar(entry.value, path, `the "${PARQUET_META_KEY}" metadata is not JSON`);
      this.meta = side.meta;
      this.rowCount = Number(this.footer.num_rows);
      if (side.rows !== this.rowCount) throw new InputError(`the metadata says ${side.rows} rows, the file holds ${this.rowCount}`, { file: path });
      const names = this.footer.schema.slice(1).map((e) => e.name);
      for (const col of PARQUET_COLUMN_NAMES) {
        if (!names.includes(col) && !PARQUET_LATER_COLUMNS.has(col)) throw new InputError(`no column "${col}" (expected ${PARQUET_COLUMN_NAMES.join(', ')})`, { file: path });
      }
      this.columns = PARQUET_COLUMN_NAMES.filter((c) => names.includes(c));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.startNs = BigInt(this.meta.startRealNs);
    const out = options.progress === undefined ? process.stderr : options.progress;
    this.progress = out !== null && ProgressBar.wanted(out, size) ? new ProgressBar(out, size, 'reading') : null;
  }

  get batches(): AsyncIterable<EventBatch> {
    return { [Symbol.asyncIterator]: () => this.iterate() };
  }

  final(): CaptureEnd {
    return { meta: this.meta, profile: null, skipped: null };
  }

  // The footer, or InputError: a file cut short has no closing magic.
  private readFooter(size: number): FileMetaData {
    const tail = Buffer.from(this.file.slice(Math.max(0, size - TAIL_BYTES), size) as ArrayBuffer);
    if (size < 12 || tail.toString('latin1', 4) !== 'PAR1') {
      throw new InputError('no Parquet footer (the file was cut short, or is still being written)', { file: this.path });
    }
    const footerBytes = tail.readUInt32LE(0) + TAIL_BYTES;
    if (footerBytes > size - 4) throw new InputError(`the footer length ${footerBytes} exceeds the file (${size} bytes)`, { file: this.path });
    try {
      return parquetMetadata(this.file.slice(size - footerBytes, size) as ArrayBuffer, { parsers: { timestampFromNanoseconds: (n: bigint) => n } });
    } catch (err) {
      throw new InputError(`bad Parquet footer: ${(err as Error).message}`, { file: this.path, cause: err });
    }
  }

  private async *iterate(): AsyncGenerator<EventBatch> {
    if (this.consumed) throw new Error(`${this.path}: batches can be read only once`);
    this.consumed = true;
    try {
      const scan = await parquetScan({ file: this.file, metadata: this.footer, parsers: { timestampFromNanoseconds: (n: bigint) => n } });
      let done = 0;
      for (const range of scan.ranges) {
        const cols = new Map<string, ArrayLike<unknown>>();
        for (const column of this.columns) cols.set(column, await scan.readColumn({ column, ...range }));
        for (let from = 0; from < range.rowEnd - range.rowStart; from += this.batchRows) {
          const batch = this.batch(cols, from, Math.min(from + this.batchRows, range.rowEnd - range.rowStart));
          done += batch.length;
          this.progress?.update(Math.round((done / Math.max(1, this.rowCount)) * this.file.byteLength), done);
          yield batch;
        }
      }
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot read the rows: ${(err as Error).message}`, { file: this.path, cause: err });
    } finally {
      this.progress?.clear();
      closeSync(this.fd);
    }
  }

  // Rows [from, to) of a row group's columns as an event batch.
  private batch(cols: Map<string, ArrayLike<unknown>>, from: number, to: number): EventBatch {
    const col = (name: string): ArrayLike<unknown> => cols.get(name)!;
    const stack = cols.get('stack');
    const [ts, pid, tid, comm, syscall, dur, ret, pos, off, runq, path] = ['timestamp', 'pid', 'tid', 'comm', 'syscall', 'duration_ns', 'ret', 'pos', 'off_cpu_ns', 'runq_ns', 'path'].map(col);
    const args = Array.from({ length: ARG_COUNT }, (_, k) => col(`arg${k}`));
    const b = new EventBatch(to - from);
    const arch = this.meta.arch;
    for (let r = from; r < to; r++) {
      const i = b.length++;
      b.startNs[i] = Number((ts![r] as bigint) - this.startNs);
      b.durationNs[i] = asNumber(dur![r]);
      b.pid[i] = pid![r] as number;
      b.tid[i] = tid![r] as number;
      const name = syscall![r] as string;
      b.syscall[i] = name;
      b.nr[i] = syscallNumber(arch, name) ?? -1;
      b.comm[i] = comm![r] as string;
      b.ret[i] = asNumber(ret![r]);
      for (let k = 0; k < ARG_COUNT; k++) {
        const v = BigInt.asUintN(64, BigInt(args[k]![r] as bigint));
        b.argLo[k]![i] = Number(v % U32);
        b.argHi[k]![i] = Number(v / U32);
      }
      const p = pos![r];
      b.pos[i] = p === null || p === undefined ? Number.NaN : asNumber(p);
      const o = off![r];
      b.offCpuNs[i] = o === null || o === undefined ? Number.NaN : asNumber(o);
      const q = runq![r];
      b.runqNs[i] = q === null || q === undefined ? Number.NaN : asNumber(q);
      b.path[i] = (path![r] as string | null | undefined) ?? null;
      const folded = stack?.[r] as string | null | undefined;
      b.stackId[i] = folded === null || folded === undefined ? 0 : this.stacks.idOf(folded, b.pid[i]!);
      if (b.stackId[i] !== 0) b.stacks = this.stacks.table;
    }
    return b;
  }
}
