// Reading a file line by line in large chunks, synchronously, in bounded memory.
import { refill } from './refill.js';
import { closeSync } from 'node:fs';
import { openInputFile } from './input-file.js';

const CHUNK_BYTES = 4 << 20;
const LF = 0x0a;

// One line: its bytes (without the newline) and 1-based number; `terminated` is
// false for a last line without a final newline.
export interface Line {
  readonly bytes: Buffer;
  readonly number: number;
  readonly terminated: boolean;
}

// A file opened for line reading; throws InputError when it cannot be opened.
export class LineReader {
  readonly size: number;
  private readonly fd: number;
  private buf: Buffer;
  private start = 0;
  private end = 0;
  private filePos = 0;
  private eof = false;
  private line = 0;
  private closed = false;

  constructor(
    readonly path: string,
    chunkBytes = CHUNK_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    ({ fd: this.fd, size: this.size } = openInputFile(path));
  }

  // Bytes consumed so far.
  get position(): number {
    return this.filePos - (this.end - this.start);
  }

  // The next line, or null at the end of the file. The bytes are valid until the next call.
  next(): Line | null {
    for (;;) {
      const nl = this.buf.subarray(0, this.end).indexOf(LF, this.start);
      if (nl >= 0) {
        const bytes = this.buf.subarray(this.start, nl > this.start && this.buf[nl - 1] === 0x0d ? nl - 1 : nl);
        this.start = nl + 1;
        this.line += 1;
        return { bytes, number: this.line, terminated: true };
      }
      if (this.eof) {
        if (this.start === this.end) return null;
        const bytes = this.buf.subarray(this.start, this.end);
        this.start = this.end;
        this.line += 1;
        return { bytes, number: this.line, terminated: false };
      }
      this.fill();
    }
  }

  // Closes the file (also done when next() returns null).
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private fill(): void {
    const w = refill(this.fd, { buf: this.buf, start: this.start, end: this.end, filePos: this.filePos });
    this.buf = w.buf;
    this.start = w.start;
    this.end = w.end;
    this.filePos = w.filePos;
    this.eof = w.eof;
  }
}
