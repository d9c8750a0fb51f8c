// The buffered reading the capture readers share: keep the unparsed tail of a
// read window, read the next chunk after it, grow the buffer when one row or
// line fills it.
import { readSync } from 'node:fs';

// A read window over a file: bytes [start, end) of buf are unparsed, and the
// next read starts at filePos.
export interface Window {
  readonly buf: Buffer;
  readonly start: number;
  readonly end: number;
  readonly filePos: number;
}

// The window after one more read: the tail moved to the front (start 0), then
// as many bytes as fit; eof when the read returned none.
export function refill(fd: number, w: Window): Window & { readonly eof: boolean } {
  let { buf, end } = w;
  if (w.start > 0) {
    buf.copy(buf, 0, w.start, end);
    end -= w.start;
  }
  if (end === buf.length) {
    const bigger = Buffer.allocUnsafe(buf.length * 2);
    buf.copy(bigger, 0, 0, end);
    buf = bigger;
  }
  const n = readSync(fd, buf, end, buf.length - end, w.filePos);
  return { buf, start: 0, end: end + n, filePos: w.filePos + n, eof: n === 0 };
}
