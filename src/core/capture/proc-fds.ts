// A running process's open descriptors from /proc/PID/fd, to seed fd tracking
// for --pid targets (their files were opened before tracing started).
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

// fd -> what /proc/PID/fd/N links to ("/var/lib/db/file", "socket:[1234]",
// "pipe:[5678]", "anon_inode:[eventfd]"). Tolerates races: an fd closed between
// listing and reading is left out; a process that is gone (or not ours to read)
// gives an empty map.
export function readProcFds(pid: number, procRoot = '/proc'): Map<number, string> {
  const dir = join(procRoot, String(pid), 'fd');
  const out = new Map<number, string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.set(Number(name), readlinkSync(join(dir, name)));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}
