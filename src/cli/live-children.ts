// Child processes from /proc: how `live` finds the command the loader started.
import { readdirSync, readFileSync } from 'node:fs';

// The direct children of a process (every thread's), [] when unknown.
export function childPids(pid: number): number[] {
  const out: number[] = [];
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c.trim() !== '') out.push(Number(c));
    } catch {
      // the thread is gone
    }
  }
  return out;
}

// Sends SIGTERM to the children of our children (a command the loader runs); ignores the ones already gone.
export function terminateGrandchildren(): void {
  for (const child of childPids(process.pid)) {
    for (const grandchild of childPids(child)) {
      try {
        process.kill(grandchild, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}
