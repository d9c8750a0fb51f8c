// Opening a capture or log for reading: a regular file, never waited on.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { InputError } from '../errors.js';

// An open input: its fd and size in bytes.
export interface InputFile {
  readonly fd: number;
  readonly size: number;
}

// Opens `path` for reading. The readers seek (the format check reads the
// head, then reading starts over; CSV refills by position), so the input must
// be a regular file: a FIFO or `<(...)` is one clear error, not a hang (open
// does not wait for a writer: O_NONBLOCK) or a stack trace (ESPIPE).
export function openInputFile(path: string): InputFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError(`cannot open: ${why}`, { file: path, cause: err });
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    const what = st.isFIFO() ? 'a pipe (FIFO or <(...))' : st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : 'not a regular file';
    throw new InputError(`is ${what}: the input must be a regular file (save it first: cmd > capture.csv)`, { file: path });
  }
  return { fd, size: st.size };
}
