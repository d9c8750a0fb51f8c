// Hot files: the files the target spent the most syscall time on, counting
// reads and writes (io-streams), syncs, opens, closes and stat lookups (path-facts).
import type { CaptureFacts } from './facts/collector.js';

// How many hot files are listed by default.
export const HOT_FILES_SHOWN = 10;

// One file and where its time went.
export interface HotFile {
  readonly path: string;
  // everything below together
  readonly totalNs: number;
  readonly readNs: number;
  readonly writeNs: number;
  readonly syncNs: number;
  // opens, closes and stat lookups
  readonly metadataNs: number;
  readonly reads: number;
  readonly writes: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly opens: number;
  readonly syncs: number;
}

// The `n` files with the most time, most first; empty without facts.
export function hotFiles(facts: CaptureFacts | null, n = HOT_FILES_SHOWN): HotFile[] {
  if (facts === null) return [];
  const byPath = new Map<string, { -readonly [K in keyof HotFile]: HotFile[K] }>();
  const get = (path: string) => {
    let f = byPath.get(path);
    if (f === undefined) {
      f = { path, totalNs: 0, readNs: 0, writeNs: 0, syncNs: 0, metadataNs: 0, reads: 0, writes: 0, bytesRead: 0, bytesWritten: 0, opens: 0, syncs: 0 };
      byPath.set(path, f);
    }
    return f;
  };
  for (const s of facts.files.rows) {
    if (s.path === null) continue;
    const f = get(s.path);
    f.readNs += s.reads.totalNs;
    f.writeNs += s.writes.totalNs;
    f.reads += s.reads.ops;
    f.writes += s.writes.ops;
    f.bytesRead += s.reads.bytes;
    f.bytesWritten += s.writes.bytes;
  }
  for (const p of facts.paths.paths) {
    // paths only looked up or failed to open (never opened, read or synced) are not files the target worked on
    if (p.opens - p.openFailures === 0 && p.syncs === 0 && !byPath.has(p.path)) continue;
    const f = get(p.path);
    f.syncNs += p.syncNs;
    f.syncs += p.syncs;
    f.metadataNs += p.openNs + p.closeNs + p.statNs;
    f.opens += p.opens;
  }
  const files = [...byPath.values()];
  for (const f of files) f.totalNs = f.readNs + f.writeNs + f.syncNs + f.metadataNs;
  return files.sort((a, b) => b.totalNs - a.totalNs || (a.path < b.path ? -1 : 1)).slice(0, Math.max(0, n));
}
