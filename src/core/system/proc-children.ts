// Child processes from /proc (every thread's children file).
import { readdirSync, readFileSync } from 'node:fs';

// The direct children of a process (every thread's), [] when unknown.
export function childPids(pid: number, procRoot = '/proc'): number[] {
  const out: number[] = [];
  let tids: string[] = [];
  try {
    tids = readdirSync(`${procRoot}/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      for (const c of readFileSync(`${procRoot}/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c.trim() !== '') out.push(Number(c));
    } catch {
      // the thread is gone
    }
  }
  return out;
}
