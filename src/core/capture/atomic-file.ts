// An output file written under a temporary name and renamed into place only when
// complete: a failed or interrupted run never touches an existing file of that name.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { ExpectedError } from '../errors.js';

// The output file could not be created or written (EX_IOERR, 74).
export class OutputError extends ExpectedError {
  readonly exitCode = 74;
}

// Bytes buffered before a write(2).
const FLUSH_BYTES = 1 << 20;

// The temporary name of an output: `<path>.tmp-<pid>`.
export function tempPathOf(path: string, pid: number = process.pid): string {
  return `${path}.tmp-${pid}`;
}

// How the temporary file is named and created.
export interface AtomicFileOptions {
  // `<path>.tmp-<pid>-<random>` created with O_EXCL (never follows or reuses a
  // file someone else put there): the default; false for `<path>.tmp-<pid>` truncated
  readonly exclusive?: boolean;
}

// Synchronous buffered writes: no stream buffering grows behind a fast producer,
// and a failure surfaces at the write that caused it.
export class AtomicFile {
  readonly tempPath: string;
  private fd: number | null;
  private readonly buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  private used = 0;
  private written = 0;

  // Creates the temporary file now (so a bad path fails before any tracing).
  constructor(
    readonly path: string,
    options: AtomicFileOptions = {},
  ) {
    const exclusive = options.exclusive !== false;
    // renaming over a symbolic link replaces the link, which is never what was meant
    // (in a shared directory it may be someone else's): said, not done
    if (isSymlink(path)) throw new OutputError(`${path} is a symbolic link: not replaced (remove it, or write to the file it points to by its own name)`);
    this.tempPath = exclusive ? `${tempPathOf(path)}-${randomBytes(8).toString('hex')}` : tempPathOf(path);
    try {
      this.fd = openSync(this.tempPath, exclusive ? 'wx' : 'w', 0o644);
    } catch (err) {
      throw new OutputError(`cannot create ${path}: ${reason(err)}`, { cause: err });
    }
  }

  // Bytes written so far (including buffered ones).
  get bytes(): number {
    return this.written + this.used;
  }

  // Appends text (UTF-8) or bytes.
  write(data: string | Uint8Array): void {
    const fd = this.open();
    if (typeof data === 'string') {
      if (data.length * 3 > FLUSH_BYTES - this.used) {
        this.flush();
        if (data.length * 3 > FLUSH_BYTES) {
          this.raw(fd, Buffer.from(data, 'utf8'));
          return;
        }
      }
      this.used += this.buffer.write(data, this.used, 'utf8');
      return;
    }
    if (data.length > FLUSH_BYTES - this.used) {
      this.flush();
      if (data.length > FLUSH_BYTES) {
        this.raw(fd, data);
        return;
      }
    }
    this.buffer.set(data, this.used);
    this.used += data.length;
  }

  // Flushes, syncs and renames the file into place; returns its size.
  commit(): number {
    this.finish(() => renameSync(this.tempPath, this.path));
    return this.written;
  }

  // As commit, but an existing file of that name stays: the file is linked
  // into place, which fails if the name is taken; null then (nothing written).
  commitNew(): number | null {
    let placed = true;
    this.finish(() => {
      try {
        linkSync(this.tempPath, this.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        placed = false;
      }
      unlinkSync(this.tempPath);
    });
    return placed ? this.written : null;
  }

  private finish(place: () => void): void {
    const fd = this.open();
    try {
      this.flush();
      fsyncSync(fd);
      closeSync(fd);
      this.fd = null;
      place();
    } catch (err) {
      this.abort();
      throw err instanceof OutputError ? err : new OutputError(`cannot write ${this.path}: ${reason(err)}`, { cause: err });
    }
  }

  // Closes and removes the temporary file; the existing output (if any) stays as it was.
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already unusable
      }
      this.fd = null;
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // never created, or already gone
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    const fd = this.open();
    this.raw(fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private raw(fd: number, data: Uint8Array): void {
    try {
      for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
    } catch (err) {
      throw new OutputError(`cannot write ${this.path}: ${reason(err)}`, { cause: err });
    }
    this.written += data.length;
  }

  private open(): number {
    if (this.fd === null) throw new Error(`${this.path} is already closed`);
    return this.fd;
  }
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such directory';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'ENOSPC') return 'no space left on device';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(err);
}

// Writes a whole text (or bytes) to path through an AtomicFile: renamed into place, or nothing left behind.
export function writeFileAtomically(path: string, text: string | Uint8Array): void {
  const file = new AtomicFile(path);
  try {
    file.write(text);
  } catch (err) {
    file.abort();
    throw err;
  }
  file.commit();
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
