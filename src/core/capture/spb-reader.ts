// spb capture reader: the loader's frame stream from a file, through the same
// FrameReader and FrameSession the live backend uses. Event batches are
// annotated with fd paths and merged into batches of about 8192 rows. A stream
// whose header did not ask for events is an aggregate capture: no batches, and
// final().profile is the last snapshot's Profile.
import { closeSync, readSync } from 'node:fs';
import { openInputFile } from './input-file.js';
import type { EventChunk, StreamStart } from '../wire/event-types.js';
import { FrameReader } from '../wire/frame-reader.js';
import { FrameSession } from '../wire/session.js';
import { decodeFrame } from '../wire/wire.js';
import type { WireFrame } from '../wire/wire.js';
import { InputError } from '../errors.js';
import { EventBatch, type CaptureMeta, type CaptureSource } from '../model/events.js';
import { IoUringRequests } from '../model/io-uring-requests.js';
import type { Profile } from '../model/profile.js';
import { appendRows } from './batch-copy.js';
import { FdTable } from './fd-table.js';
import { metaOfStart } from './meta.js';
import { ProgressBar } from './progress.js';
import { BATCH_ROWS, type CaptureEnd, type CaptureFile, type ReaderOptions } from './reader-types.js';

const CHUNK_BYTES = 1 << 20;

// Opens an spb capture: reads up to the header now (InputError when the stream is bad).
export function openSpbCapture(path: string, options: ReaderOptions = {}): CaptureFile {
  return new SpbCapture(path, options);
}

class SpbCapture implements CaptureSource {
  readonly meta: CaptureMeta;
  private readonly fd: number;
  private readonly size: number;
  private filePos = 0;
  private readonly reader: FrameReader<WireFrame>;
  private readonly session: FrameSession;
  private readonly chunks: EventChunk[] = [];
  private readonly fds = new FdTable();
  private readonly batchRows: number;
  private readonly progress: ProgressBar | null;
  private start: StreamStart | null = null;
  private readonly chunkBytes: number;
  private consumed = false;

  constructor(
    private readonly path: string,
    options: ReaderOptions,
  ) {
    this.batchRows = options.batchRows ?? BATCH_ROWS;
    this.chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    ({ fd: this.fd, size: this.size } = openInputFile(path));
    this.reader = new FrameReader(decodeFrame, { source: path });
    this.session = new FrameSession(path, {
      onStart: (s) => (this.start = s),
      onEvents: (chunk) => this.chunks.push(chunk),
    });
    try {
      if (this.size === 0) throw new InputError('byte offset 0: empty file, expected a Header frame', { file: path, offset: 0 });
      while (this.start === null && this.read()) {
        // until the header frame is through
      }
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
    this.meta = metaOfStart(this.start!);
    const out = options.progress === undefined ? process.stderr : options.progress;
    this.progress = out !== null && ProgressBar.wanted(out, this.size) ? new ProgressBar(out, this.size, 'reading') : null;
  }

  get batches(): AsyncIterable<EventBatch> {
    return { [Symbol.asyncIterator]: () => this.iterate() };
  }

  final(): CaptureEnd {
    const last: Profile | null = this.session.last;
    return {
      meta: {
        ...this.meta,
        durationNs: last === null ? null : last.durationNs,
        lostEvents: last === null ? 0 : last.health.lostEvents,
        ...(last?.cpuNs == null ? {} : { cpuNs: last.cpuNs }),
        ...(last?.threadNs == null ? {} : { threadNs: last.threadNs }),
        ...(last?.threadCount == null ? {} : { threadCount: last.threadCount }),
        ...(last?.runqNs == null ? {} : { runqNs: last.runqNs }),
        ...(last?.tcp == null ? {} : { tcp: last.tcp }),
        ...(this.session.load === null ? {} : { load: this.session.load }),
        ...(this.session.listen === null ? {} : { listen: this.session.listen }),
      },
      profile: this.start?.events === false ? last : null,
      skipped: null,
      ioUring: last?.ioUring ?? null,
      stacks: last?.stacks ?? null,
    };
  }

  private async *iterate(): AsyncGenerator<EventBatch> {
    if (this.consumed) throw new Error(`${this.path}: batches can be read only once`);
    this.consumed = true;
    let out = new EventBatch(this.batchRows);
    try {
      for (;;) {
        const more = this.chunks.length > 0 || this.read();
        for (const chunk of this.chunks.splice(0)) {
          this.fds.annotate(chunk);
          const b = chunk.batch;
          if (b.ioUring !== null) {
            const reqs = (out.ioUring ??= new IoUringRequests(b.ioUring.length));
            for (let i = 0; i < b.ioUring.length; i++) reqs.add(b.ioUring.row(i));
          }
          for (let from = 0; from < b.length; ) {
            const n = Math.min(b.length - from, out.capacity - out.length);
            appendRows(out, b, from, n);
            from += n;
            if (out.full || (out.ioUring?.length ?? 0) >= this.batchRows) {
              this.progress?.update(this.filePos, this.session.eventCounts.rows);
              yield out;
              out = new EventBatch(this.batchRows);
            }
          }
        }
        if (!more) break;
      }
      if (out.length > 0 || out.ioUring !== null) yield out;
    } finally {
      this.progress?.clear();
      closeSync(this.fd);
    }
  }

  // Reads and decodes the next chunk; false at the end of the file (after checking the stream ended well).
  private read(): boolean {
    const buf = Buffer.allocUnsafe(this.chunkBytes);
    const n = readSync(this.fd, buf, 0, buf.length, this.filePos);
    if (n === 0) {
      this.reader.end();
      if (!this.session.started) {
        throw new InputError(`byte offset ${this.filePos}: the stream ends before its Header frame`, { file: this.path, offset: this.filePos });
      }
      if (!this.session.finished) {
        throw new InputError(`byte offset ${this.filePos}: the stream ends without its final snapshot (truncated?)`, {
          file: this.path,
          offset: this.filePos,
        });
      }
      return false;
    }
    this.filePos += n;
    for (const frame of this.reader.push(buf.subarray(0, n))) this.session.accept(frame);
    return true;
  }
}
