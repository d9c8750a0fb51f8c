// What the CSV and JSON lines writers share: rows encoded into a 1 MiB byte
// block that goes to the output file when full, a row count, and the trailer
// written on commit.
import { errnoName } from '../model/errno.js';
import { foldFrames } from '../model/folded-stack.js';
import type { CaptureMeta, EventBatch } from '../model/events.js';
import type { AtomicFile } from './atomic-file.js';
import { parseWallNs } from './timestamp.js';
import type { CaptureTrailer, CaptureWriter } from './writer-types.js';

const BLOCK_BYTES = 1 << 20;
// encoded stacks kept at most (a run with endless distinct stacks must not grow it without bound)
const MAX_STACKS_CACHED = 1 << 16;

// Base of the text capture writers; subclasses encode one row and the trailer.
export abstract class BlockWriter implements Omit<CaptureWriter, 'format'> {
  protected readonly startSec: number;
  protected readonly startNs: number;
  private count = 0;
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private used = 0;
  private readonly errnos: (Uint8Array | undefined)[] = [];
  // encoded folded stacks by id (ids are unique within a capture)
  private readonly stacks = new Map<number, Uint8Array>();

  constructor(
    protected readonly file: AtomicFile,
    meta: CaptureMeta,
  ) {
    const start = parseWallNs(meta.startRealNs);
    if (start === null) throw new RangeError(`start_real_ns "${meta.startRealNs}" is not a decimal ns count`);
    this.startSec = start.sec;
    this.startNs = start.ns;
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
    throw new Error('a text capture takes event batches, not raw frames');
  }

  commit(trailer: CaptureTrailer): number {
    this.flush();
    this.file.write(this.trailer(trailer, this.count));
    return this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }

  // Encodes row i of b with reserve() and done().
  protected abstract row(b: EventBatch, i: number): void;

  // The folded stack as this format writes it (quoted as needed).
  protected abstract stackField(folded: string): string;

  // The encoded folded stack of row i, or null when none was taken.
  protected stack(b: EventBatch, i: number): Uint8Array | null {
    const id = b.stackId[i]!;
    if (id === 0 || b.stacks === null) return null;
    let bytes = this.stacks.get(id);
    if (bytes === undefined) {
      const def = b.stacks.get(id);
      if (this.stacks.size >= MAX_STACKS_CACHED) this.stacks.clear();
      bytes = Buffer.from(this.stackField(def === undefined ? '' : foldFrames(def.frames)), 'utf8');
      this.stacks.set(id, bytes);
    }
    return bytes;
  }

  // The text after the last row.
  protected abstract trailer(trailer: CaptureTrailer, rows: number): string;

  // The bytes an errno name is written as (e.g. quoted in JSON).
  protected abstract errnoBytes(name: string | null): Uint8Array;

  // A buffer and the offset to write a row of at most `need` bytes at.
  protected reserve(need: number): { out: Buffer; at: number } {
    if (this.used + need > this.block.length) {
      this.flush();
      if (need > this.block.length) this.block = Buffer.allocUnsafe(need);
    }
    return { out: this.block, at: this.used };
  }

  // Marks the block used up to `end` (the end of the row just encoded).
  protected done(end: number): void {
    this.used = end;
  }

  // The encoded errno name of a negative return value, cached.
  protected errno(ret: number): Uint8Array {
    let bytes = this.errnos[-ret];
    if (bytes === undefined) {
      bytes = this.errnoBytes(errnoName(ret));
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
