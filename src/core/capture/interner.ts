// Strings decoded from byte ranges, each distinct byte sequence decoded once:
// captures repeat the same comms, syscall names and paths millions of times.

interface Entry {
  readonly bytes: Buffer;
  readonly text: string;
  // a number the caller attaches (e.g. the syscall number of a name)
  readonly tag: number;
}

// Forget everything past this many entries (a capture of endless distinct paths
// must not grow the cache without bound).
const MAX_ENTRIES = 1 << 16;

// Slots of the direct-mapped front cache.
const DIRECT_SLOTS = 1024;

// A byte-range -> string cache: a direct-mapped front keyed by the length and
// three bytes (no loop), then a map keyed by an FNV-1a hash of the bytes.
export class Interner {
  private readonly direct: (Entry | undefined)[] = new Array<Entry | undefined>(DIRECT_SLOTS);
  private readonly table = new Map<number, Entry | Entry[]>();
  private size = 0;
  // tag of the last get()
  lastTag = 0;

  // `tagOf` computes the tag of a string the first time it is seen.
  constructor(private readonly tagOf: (text: string) => number = () => 0) {}

  // The UTF-8 string of buf[start, end).
  get(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    const slot = len === 0 ? 0 : (len * 31 + buf[start]! * 7 + buf[end - 1]! * 13 + buf[start + (len >> 1)]! * 3) & (DIRECT_SLOTS - 1);
    const front = this.direct[slot];
    if (front !== undefined && same(front.bytes, buf, start, end)) {
      this.lastTag = front.tag;
      return front.text;
    }
    const entry = this.lookup(buf, start, end);
    this.direct[slot] = entry;
    this.lastTag = entry.tag;
    return entry.text;
  }

  private lookup(buf: Buffer, start: number, end: number): Entry {
    // long strings: hash the first 8 and last 16 bytes (the full compare below decides)
    let h = 0x811c9dc5 ^ (end - start);
    if (end - start <= 24) {
      for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    } else {
      for (let i = start; i < start + 8; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
      for (let i = end - 16; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    }
    const found = this.table.get(h);
    if (found !== undefined) {
      if (!Array.isArray(found)) {
        if (same(found.bytes, buf, start, end)) return found;
      } else {
        for (const e of found) if (same(e.bytes, buf, start, end)) return e;
      }
    }
    if (this.size >= MAX_ENTRIES) {
      this.table.clear();
      this.direct.fill(undefined);
      this.size = 0;
    }
    const text = buf.toString('utf8', start, end);
    const entry: Entry = { bytes: Buffer.from(buf.subarray(start, end)), text, tag: this.tagOf(text) };
    const again = this.table.get(h);
    if (again === undefined) this.table.set(h, entry);
    else if (Array.isArray(again)) again.push(entry);
    else this.table.set(h, [again, entry]);
    this.size += 1;
    return entry;
  }
}

function same(bytes: Buffer, buf: Buffer, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[start + i]) return false;
  return true;
}
