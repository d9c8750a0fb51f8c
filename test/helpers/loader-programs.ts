// The BPF programs of the loaders a test started, told apart from the ones
// other people's loaders hold on the same machine: a watcher reads the prog
// ids from the file descriptors of every loader below a process while it runs;
// afterwards those ids must be gone from the kernel.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// The direct children of a process (every thread's), [] when unknown.
function childrenOf(pid: number, procRoot = '/proc'): number[] {
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

// The loader's command name as /proc/PID/comm shows it (15 characters).
const LOADER_COMM = 'syscall-prof-lo';

function programIdsOf(pid: number): number[] {
  const ids: number[] = [];
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fdinfo`);
  } catch {
    return ids;
  }
  for (const fd of fds) {
    try {
      const m = /^prog_id:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (m !== null) ids.push(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return ids;
}

// Prog ids held by the loaders among the descendants of `root`.
export function loaderProgramIds(root: number): number[] {
  const ids: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === LOADER_COMM) ids.push(...programIdsOf(pid));
    queue.push(...childrenOf(pid));
  }
  return ids;
}

// Collects the prog ids of the loaders below `root()` every 50 ms until stopped.
export class LoaderWatch {
  readonly ids = new Set<number>();
  private readonly timer: NodeJS.Timeout;

  constructor(root: () => number | null) {
    this.timer = setInterval(() => {
      const pid = root();
      if (pid !== null) for (const id of loaderProgramIds(pid)) this.ids.add(id);
    }, 50);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function loadedIds(): Set<number> {
  const progs = JSON.parse(execFileSync('bpftool', ['-j', 'prog', 'show'], { encoding: 'utf8' })) as { id: number }[];
  return new Set(progs.map((p) => p.id));
}

// Which of `ids` are still loaded after waiting up to `ms` (the kernel frees
// programs asynchronously after the last reference goes).
export async function stillLoaded(ids: Iterable<number>, ms = 3000): Promise<number[]> {
  const want = [...ids];
  const until = Date.now() + ms;
  for (;;) {
    const loaded = loadedIds();
    const left = want.filter((id) => loaded.has(id));
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
