// Streaming CSV capture writer (layout in csv-schema.ts); rows are encoded
// straight into a byte buffer (byte-encode.ts).
import { errnoName } from '../model/errno.js';
import { ARG_COUNT, type CaptureMeta, type EventBatch } from '../model/events.js';
import type { AtomicFile } from './atomic-file.js';
import { EncodedStrings, putBytes, putHex, putInt, putWallNs } from './byte-encode.js';
import { CSV_HEADER, CSV_MAGIC, csvField } from './csv-schema.js';
import { formatFilters } from './meta.js';
import { parseWallNs } from './timestamp.js';
import type { CaptureTrailer, CaptureWriter } from './writer-types.js';

const BLOCK_BYTES = 1 << 20;
// room for a row's fixed-size fields (numbers, hex, separators)
const FIXED_ROW_BYTES = 512;

const COMMA = 0x2c;
const LF = 0x0a;

// Writes events as CSV rows; metadata first, trailer on commit.
export class CsvWriter implements CaptureWriter {
  readonly format = 'csv' as const;
  private readonly startSec: number;
  private readonly startNs: number;
  private count = 0;
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private used = 0;
  private readonly comms = new EncodedStrings(csvField);
  private readonly syscalls = new EncodedStrings(csvField);
  private readonly paths = new EncodedStrings(csvField);
  private readonly errnos: (Uint8Array | undefined)[] = [];

  // Writes the metadata into a freshly created output file.
  constructor(
    private readonly file: AtomicFile,
    meta: CaptureMeta,
  ) {
    const start = parseWallNs(meta.startRealNs);
    if (start === null) throw new RangeError(`start_real_ns "${meta.startRealNs}" is not a decimal ns count`);
    this.startSec = start.sec;
    this.startNs = start.ns;
    this.file.write(
      [
        CSV_MAGIC,
        `# backend: ${oneLine(meta.backend)}`,
        `# arch: ${oneLine(meta.arch)}`,
        `# target: ${oneLine(meta.target)}`,
        `# start_real_ns: ${meta.startRealNs}`,
        `# filters: ${formatFilters(meta.filters)}`,
        CSV_HEADER,
        '',
      ].join('\n'),
    );
  }

  get path(): string {
    return this.file.path;
  }

  get rows(): number {
    return this.count;
  }

  write(b: EventBatch): void {
    for (let i = 0; i < b.length; i++) this.row(b, i);
    this.flush();
    this.count += b.length;
  }

  writeRaw(): void {
    throw new Error('a CSV capture takes event batches, not raw frames');
  }

  commit(trailer: CaptureTrailer): number {
    this.flush();
    const lines = [`# rows: ${this.count}`];
    if (trailer.durationNs !== null) lines.push(`# duration_ns: ${Math.round(trailer.durationNs)}`);
    lines.push(`# lost_events: ${trailer.lostEvents}`, '');
    this.file.write(lines.join('\n'));
    return this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }

  private row(b: EventBatch, i: number): void {
    const comm = this.comms.of(b.comm[i]!);
    const syscall = this.syscalls.of(b.syscall[i]!);
    const pathText = b.path[i];
    const path = pathText === null || pathText === undefined ? null : this.paths.of(pathText);
    const need = FIXED_ROW_BYTES + comm.length + syscall.length + (path === null ? 0 : path.length);
    if (this.used + need > this.block.length) {
      this.flush();
      if (need > this.block.length) this.block = Buffer.allocUnsafe(need);
    }
    const out = this.block;
    let p = this.used;

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
    if (path !== null) p = putBytes(out, p, path);
    out[p++] = LF;
    this.used = p;
  }

  private errno(ret: number): Uint8Array {
    let bytes = this.errnos[-ret];
    if (bytes === undefined) {
      bytes = Buffer.from(errnoName(ret) ?? '', 'latin1');
      this.errnos[-ret] = bytes;
    }
    return bytes;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.file.write(this.block.subarray(0, this.used));
    this.used = 0;
  }
}

// metadata values must stay on their line
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
