// Streaming CSV capture writer (layout in csv-schema.ts); rows are encoded
// straight into a byte buffer (byte-encode.ts).
import { ARG_COUNT, type CaptureMeta, type EventBatch } from '../model/events.js';
import type { AtomicFile } from './atomic-file.js';
import { BlockWriter } from './block-writer.js';
import { EncodedStrings, putBytes, putHex, putInt, putWallNs } from './byte-encode.js';
import { CSV_HEADER, CSV_MAGIC, csvField } from './csv-schema.js';
import { formatFilters } from './meta.js';
import type { CaptureTrailer, CaptureWriter } from './writer-types.js';
// room for a row's fixed-size fields (numbers, hex, separators)
const FIXED_ROW_BYTES = 512;

const COMMA = 0x2c;
const LF = 0x0a;

// Writes events as CSV rows; metadata first, trailer on commit.
export class CsvWriter extends BlockWriter implements CaptureWriter {
  readonly format = 'csv' as const;
  private readonly comms = new EncodedStrings(csvField);
  private readonly syscalls = new EncodedStrings(csvField);
  private readonly paths = new EncodedStrings(csvField);

  // Writes the metadata into a freshly created output file.
  constructor(file: AtomicFile, meta: CaptureMeta) {
    super(file, meta);
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

  protected trailer(trailer: CaptureTrailer, rows: number): string {
    const lines = [`# rows: ${rows}`];
    if (trailer.durationNs !== null) lines.push(`# duration_ns: ${Math.round(trailer.durationNs)}`);
    if (trailer.cpuNs !== undefined && trailer.cpuNs !== null) lines.push(`# cpu_ns: ${Math.round(trailer.cpuNs)}`);
    if (trailer.threadNs !== undefined && trailer.threadNs !== null) lines.push(`# thread_ns: ${Math.round(trailer.threadNs)}`);
    if (trailer.threadCount !== undefined && trailer.threadCount !== null) lines.push(`# threads: ${Math.round(trailer.threadCount)}`);
    if (trailer.runqNs !== undefined && trailer.runqNs !== null) lines.push(`# runq_ns: ${Math.round(trailer.runqNs)}`);
    if (trailer.load !== undefined && trailer.load !== null) lines.push(`# load: ${JSON.stringify(trailer.load)}`);
    lines.push(`# lost_events: ${trailer.lostEvents}`, '');
    return lines.join('\n');
  }

  protected errnoBytes(name: string | null): Uint8Array {
    return Buffer.from(name ?? '', 'latin1');
  }

  protected row(b: EventBatch, i: number): void {
    const comm = this.comms.of(b.comm[i]!);
    const syscall = this.syscalls.of(b.syscall[i]!);
    const pathText = b.path[i];
    const path = pathText === null || pathText === undefined ? null : this.paths.of(pathText);
    const need = FIXED_ROW_BYTES + comm.length + syscall.length + (path === null ? 0 : path.length);
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
    out[p++] = LF;
    this.done(p);
  }
}

// metadata values must stay on their line
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
