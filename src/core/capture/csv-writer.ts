// Streaming CSV capture writer (layout in csv-schema.ts); rows are encoded
// straight into a byte buffer (byte-encode.ts).
import { ARG_COUNT, type CaptureMeta, type EventBatch } from '../model/events.js';
import { AtomicFile } from './atomic-file.js';
import { BlockWriter } from './block-writer.js';
import { EncodedStrings, putBytes, putHex, putInt, putWallNs } from './byte-encode.js';
import { CSV_HEADER, csvField } from './csv-schema.js';
import { sidecarPathOf, sidecarText } from './csv-sidecar.js';
import { parseWallNs, WallClock } from './timestamp.js';
import { ioUringCsvPathOf, IoUringCsvWriter } from './uring-csv.js';
import type { CaptureTrailer, CaptureWriter } from './writer-types.js';
// room for a row's fixed-size fields (numbers, hex, separators)
const FIXED_ROW_BYTES = 512;

const COMMA = 0x2c;
const LF = 0x0a;

// Writes events as CSV rows: the header, then one row per call (plain RFC
// 4180); the metadata and trailer go to the sidecar FILE.meta.json on commit
// (csv-sidecar.ts), renamed into place after the CSV.
export class CsvWriter extends BlockWriter implements CaptureWriter {
  readonly format = 'csv' as const;
  private readonly comms = new EncodedStrings(csvField);
  private readonly syscalls = new EncodedStrings(csvField);
  private readonly paths = new EncodedStrings(csvField);
  private readonly sidecar: AtomicFile;
  // the io_uring requests, in their own file (uring-csv.ts)
  private readonly ioUring: IoUringCsvWriter;

  // Writes the header into a freshly created output file; the sidecar's temporary file is created now too (a bad path fails before tracing).
  constructor(
    file: AtomicFile,
    private readonly meta: CaptureMeta,
  ) {
    super(file, meta);
    this.sidecar = new AtomicFile(sidecarPathOf(file.path));
    this.ioUring = new IoUringCsvWriter(ioUringCsvPathOf(file.path), new WallClock(parseWallNs(meta.startRealNs)!));
    this.file.write(`${CSV_HEADER}\n`);
  }

  override write(b: EventBatch): void {
    super.write(b);
    if (b.ioUring !== null) this.ioUring.write(b.ioUring);
  }

  override commit(trailer: CaptureTrailer): number {
    let bytes: number;
    let ioUringFile: string | null;
    try {
      bytes = super.commit(trailer);
      ioUringFile = this.ioUring.commit();
    } catch (err) {
      this.ioUring.abort();
      this.sidecar.abort();
      throw err;
    }
    const ioUring = ioUringFile === null ? null : { file: ioUringFile, rows: this.ioUring.rows };
    this.sidecar.write(sidecarText(this.meta, trailer, this.rows, ioUring));
    this.sidecar.commit();
    return bytes;
  }

  override abort(): void {
    super.abort();
    this.ioUring.abort();
    this.sidecar.abort();
  }

  // Nothing after the rows: the trailer is in the sidecar.
  protected trailer(): string {
    return '';
  }

  protected errnoBytes(name: string | null): Uint8Array {
    return Buffer.from(name ?? '', 'latin1');
  }

  protected stackField(folded: string): string {
    return csvField(folded);
  }

  protected row(b: EventBatch, i: number): void {
    const comm = this.comms.of(b.comm[i]!);
    const syscall = this.syscalls.of(b.syscall[i]!);
    const pathText = b.path[i];
    const path = pathText === null || pathText === undefined ? null : this.paths.of(pathText);
    const stack = this.stack(b, i);
    const need = FIXED_ROW_BYTES + comm.length + syscall.length + (path === null ? 0 : path.length) + (stack === null ? 0 : stack.length);
    const { out, at } = this.reserve(need);
    let p = at;

    p = putWallNs(out, p, this.startSec, this.startNs, b.startNs[i]!);
    out[p++] = COMMA;
    p = putInt(out, p, b.pid[i]!);
    out[p++] = COMMA;
    p = putInt(out, p, b.tid[i]!);
    out[p++] = COMMA;
    p = putBytes(out, p, comm);
    out[p++] = COMMA;
    p = putBytes(out, p, syscall);
    out[p++] = COMMA;
    p = putInt(out, p, b.durationNs[i]!);
    out[p++] = COMMA;
    const ret = b.ret[i]!;
    p = putInt(out, p, ret);
    out[p++] = COMMA;
    if (ret < 0 && ret >= -4095) p = putBytes(out, p, this.errno(ret));
    for (let k = 0; k < ARG_COUNT; k++) {
      out[p++] = COMMA;
      p = putHex(out, p, b.argLo[k]![i]!, b.argHi[k]![i]!);
    }
    out[p++] = COMMA;
    const pos = b.pos[i]!;
    if (!Number.isNaN(pos)) p = putInt(out, p, pos);
    out[p++] = COMMA;
    const off = b.offCpuNs[i]!;
    if (!Number.isNaN(off)) p = putInt(out, p, off);
    out[p++] = COMMA;
    const runq = b.runqNs[i]!;
    if (!Number.isNaN(runq)) p = putInt(out, p, runq);
    out[p++] = COMMA;
    if (path !== null) p = putBytes(out, p, path);
    out[p++] = COMMA;
    if (stack !== null) p = putBytes(out, p, stack);
    out[p++] = LF;
    this.done(p);
  }
}
