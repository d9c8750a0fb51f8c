// Streaming JSON lines capture writer (layout in jsonl-schema.ts); rows are
// encoded straight into a byte buffer (byte-encode.ts).
import { ARG_COUNT, type CaptureMeta, type EventBatch } from '../model/events.js';
import type { AtomicFile } from './atomic-file.js';
import { BlockWriter } from './block-writer.js';
import { EncodedStrings, putBytes, putHex, putInt, putWallNs } from './byte-encode.js';
import { JSONL_VERSION } from './jsonl-schema.js';
import { parseWallNs, WallClock } from './timestamp.js';
import { ioUringRecord } from './uring-record.js';
import type { CaptureTrailer, CaptureWriter } from './writer-types.js';
// room for a row's fixed parts (keys, numbers, hex)
const FIXED_ROW_BYTES = 768;

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const K_TIMESTAMP = ascii('{"timestamp_ns":"');
const K_PID = ascii('","pid":');
const K_TID = ascii(',"tid":');
const K_COMM = ascii(',"comm":');
const K_SYSCALL = ascii(',"syscall":');
const K_DURATION = ascii(',"duration_ns":');
const K_RET = ascii(',"ret":');
const K_ERRNO = ascii(',"errno":');
const K_ARGS = ascii(',"args":["');
const SEP_ARGS = ascii('","');
const K_POS = ascii('"],"pos":');
const K_OFF_CPU = ascii(',"off_cpu_ns":');
const K_RUNQ = ascii(',"runq_ns":');
const K_PATH = ascii(',"path":');
const K_STACK = ascii(',"stack":');
const NULL = ascii('null');
const END = ascii('}\n');

// Writes one JSON object per event, a meta line first and an end line on commit.
export class JsonlWriter extends BlockWriter implements CaptureWriter {
  readonly format = 'jsonl' as const;
  private readonly strings = new EncodedStrings((text) => JSON.stringify(text));
  private readonly paths = new EncodedStrings((text) => JSON.stringify(text));
  private readonly clock: WallClock;
  private ioUringRows = 0;

  // Writes the meta line into a freshly created output file.
  constructor(file: AtomicFile, meta: CaptureMeta) {
    super(file, meta);
    const f = meta.filters;
    const head = {
      syscall_prof: JSONL_VERSION,
      meta: {
        backend: meta.backend,
        arch: meta.arch,
        target: meta.target,
        start_real_ns: meta.startRealNs,
        filters: { syscalls: f.syscalls, min_duration_ns: f.minDurationNs, failed_only: f.failedOnly },
      },
    };
    this.file.write(`${JSON.stringify(head)}\n`);
    this.clock = new WallClock(parseWallNs(meta.startRealNs)!);
  }

  // The calls, then the batch's io_uring requests as {"kind":"io_uring",...} records.
  override write(b: EventBatch): void {
    super.write(b);
    const reqs = b.ioUring;
    if (reqs === null || reqs.length === 0) return;
    let text = '';
    for (let i = 0; i < reqs.length; i++) text += `${JSON.stringify({ kind: 'io_uring', ...ioUringRecord(reqs, i, this.clock) })}\n`;
    this.file.write(text);
    this.ioUringRows += reqs.length;
  }

  protected trailer(trailer: CaptureTrailer, rows: number): string {
    const end = {
      syscall_prof_end: {
        rows,
        ...(this.ioUringRows === 0 ? {} : { io_uring_rows: this.ioUringRows }),
        duration_ns: trailer.durationNs === null ? null : Math.round(trailer.durationNs),
        lost_events: trailer.lostEvents,
        ...(trailer.cpuNs === undefined || trailer.cpuNs === null ? {} : { cpu_ns: Math.round(trailer.cpuNs) }),
        ...(trailer.threadNs === undefined || trailer.threadNs === null ? {} : { thread_ns: Math.round(trailer.threadNs) }),
        ...(trailer.threadCount === undefined || trailer.threadCount === null ? {} : { threads: Math.round(trailer.threadCount) }),
        ...(trailer.runqNs === undefined || trailer.runqNs === null ? {} : { runq_ns: Math.round(trailer.runqNs) }),
        ...(trailer.load === undefined || trailer.load === null ? {} : { load: trailer.load }),
        ...(trailer.listen === undefined || trailer.listen === null ? {} : { listen: trailer.listen }),
        ...(trailer.stackHealth === undefined || trailer.stackHealth === null ? {} : { stack_health: trailer.stackHealth }),
      },
    };
    return `${JSON.stringify(end)}\n`;
  }

  protected stackField(folded: string): string {
    return JSON.stringify(folded);
  }

  // `"ENOENT"` with its quotes
  protected errnoBytes(name: string | null): Uint8Array {
    return name === null ? NULL : Buffer.from(`"${name}"`, 'latin1');
  }


  protected row(b: EventBatch, i: number): void {
    const comm = this.strings.of(b.comm[i]!);
    const syscall = this.strings.of(b.syscall[i]!);
    const pathText = b.path[i];
    const path = pathText === null || pathText === undefined ? NULL : this.paths.of(pathText);
    const stack = this.stack(b, i);
    const need = FIXED_ROW_BYTES + comm.length + syscall.length + path.length + (stack === null ? 0 : stack.length);
    const { out, at } = this.reserve(need);
    let p = putBytes(out, at, K_TIMESTAMP);
    p = putWallNs(out, p, this.startSec, this.startNs, b.startNs[i]!);
    p = putBytes(out, p, K_PID);
    p = putInt(out, p, b.pid[i]!);
    p = putBytes(out, p, K_TID);
    p = putInt(out, p, b.tid[i]!);
    p = putBytes(out, p, K_COMM);
    p = putBytes(out, p, comm);
    p = putBytes(out, p, K_SYSCALL);
    p = putBytes(out, p, syscall);
    p = putBytes(out, p, K_DURATION);
    p = putInt(out, p, b.durationNs[i]!);
    const ret = b.ret[i]!;
    p = putBytes(out, p, K_RET);
    p = putInt(out, p, ret);
    p = putBytes(out, p, K_ERRNO);
    p = putBytes(out, p, ret < 0 && ret >= -4095 ? this.errno(ret) : NULL);
    p = putBytes(out, p, K_ARGS);
    for (let k = 0; k < ARG_COUNT; k++) {
      if (k > 0) p = putBytes(out, p, SEP_ARGS);
      p = putHex(out, p, b.argLo[k]![i]!, b.argHi[k]![i]!);
    }
    p = putBytes(out, p, K_POS);
    const pos = b.pos[i]!;
    p = Number.isNaN(pos) ? putBytes(out, p, NULL) : putInt(out, p, pos);
    p = putBytes(out, p, K_OFF_CPU);
    const off = b.offCpuNs[i]!;
    p = Number.isNaN(off) ? putBytes(out, p, NULL) : putInt(out, p, off);
    p = putBytes(out, p, K_RUNQ);
    const runq = b.runqNs[i]!;
    p = Number.isNaN(runq) ? putBytes(out, p, NULL) : putInt(out, p, runq);
    p = putBytes(out, p, K_PATH);
    p = putBytes(out, p, path);
    // only on rows with a stack: captures without stacks stay as they were
    if (stack !== null) {
      p = putBytes(out, p, K_STACK);
      p = putBytes(out, p, stack);
    }
    this.done(putBytes(out, p, END));
  }
}
