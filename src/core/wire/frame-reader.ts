// Splits a byte stream into length-prefixed frames and decodes each one.
import { CorruptFrameError, TruncatedFrameError } from './frame-errors.js';
import { readVarint, unsigned } from './wire-varint.js';

// Default cap on one frame's size: anything larger is corrupt, not big.
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

// A decoded frame and where its length prefix starts in the stream.
export interface ReadFrame<T> {
  readonly offset: number;
  readonly frame: T;
}

// Options of a FrameReader.
export interface FrameReaderOptions {
  // stream name for error messages
  readonly source: string;
  readonly maxFrameBytes?: number;
}

// Incremental reader: push chunks as they come, call end() when the stream ends.
export class FrameReader<T> {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  // stream offset of the first buffered byte (= start of the next frame)
  private offset = 0;
  // payload length of the next frame once its prefix is complete
  private pending: { prefixBytes: number; length: number } | null = null;
  private readonly maxFrameBytes: number;

  constructor(
    private readonly decode: (bytes: Uint8Array) => T,
    private readonly options: FrameReaderOptions,
  ) {
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  }

  // Adds a chunk and returns every frame it completed (none while a frame is partial).
  push(chunk: Uint8Array): ReadFrame<T>[] {
    if (chunk.length > 0) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.buffered += chunk.length;
    }
    const frames: ReadFrame<T>[] = [];
    for (;;) {
      if (this.pending === null) {
        this.pending = this.readPrefix();
        if (this.pending === null) return frames;
      }
      const { prefixBytes, length } = this.pending;
      if (this.buffered < prefixBytes + length) return frames;
      const bytes = this.take(prefixBytes + length).subarray(prefixBytes);
      const offset = this.offset;
      this.offset += prefixBytes + length;
      this.pending = null;
      frames.push({ offset, frame: this.decodeAt(offset, bytes) });
    }
  }

  // Declares the end of the stream; throws TruncatedFrameError if a frame is incomplete.
  end(): void {
    if (this.buffered === 0) return;
    const where = { file: this.options.source };
    if (this.pending === null) {
      throw new TruncatedFrameError(this.offset, `incomplete length prefix (${this.buffered} bytes)`, where);
    }
    const got = this.buffered - this.pending.prefixBytes;
    throw new TruncatedFrameError(this.offset, `expected ${this.pending.length} bytes, got ${got}`, where);
  }

  // Parses the varint length prefix if it is complete.
  private readPrefix(): { prefixBytes: number; length: number } | null {
    const head = this.peek(Math.min(this.buffered, 10));
    // complete once a byte without the continuation bit is in
    const last = head.findIndex((byte) => byte < 0x80);
    if (last < 0) {
      if (head.length === 10) throw new CorruptFrameError(this.offset, 'length prefix is longer than 10 bytes', { file: this.options.source });
      return null;
    }
    const prefixBytes = readVarint(head, 0, last + 1);
    const length = unsigned();
    if (length > this.maxFrameBytes) {
      throw new CorruptFrameError(this.offset, `length ${length} exceeds the ${this.maxFrameBytes}-byte cap`, { file: this.options.source });
    }
    return { prefixBytes, length };
  }

  private decodeAt(offset: number, bytes: Uint8Array): T {
    try {
      return this.decode(bytes);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new CorruptFrameError(offset, `${bytes.length}-byte message does not decode: ${why}`, {
        file: this.options.source,
        cause: err,
      });
    }
  }

  // The first n buffered bytes, without consuming them.
  private peek(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === n) break;
      const part = chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  // Removes and returns the first n buffered bytes (n <= buffered).
  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks.length = 0;
    const rest = all.subarray(n);
    if (rest.length > 0) this.chunks.push(rest);
    this.buffered = rest.length;
    return all.subarray(0, n);
  }
}
