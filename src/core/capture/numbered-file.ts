// Writing a file under the first free name of a numbered series (f.spb,
// f-2.spb, f-3.spb...), atomically and never over an existing file.
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { AtomicFile } from './atomic-file.js';

// The n-th name of the series of `path` (1: path itself): f.spb, f-2.spb, ...
export function numberedPath(path: string, n: number): string {
  if (n <= 1) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-${n}${ext}`;
}

// Writes bytes to the first free name of the series from `from` on (or over
// `path` itself with replace); returns the name and its number, or null when
// the names up to `last` are all taken.
export function writeNumbered(path: string, bytes: Uint8Array, options: { readonly replace: boolean; readonly from: number; readonly last: number }): { path: string; n: number } | null {
  if (options.replace) {
    const f = new AtomicFile(path);
    f.write(bytes);
    f.commit();
    return { path, n: 1 };
  }
  for (let n = options.from; n <= options.last; n++) {
    const name = numberedPath(path, n);
    if (existsSync(name)) continue;
    const f = new AtomicFile(name);
    f.write(bytes);
    // taken meanwhile by someone else: the next name
    if (f.commitNew() !== null) return { path: name, n };
  }
  return null;
}
