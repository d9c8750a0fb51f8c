// A cgroup v2 directory of its own for one program under test: everything it
// starts stays inside, the tracer filters on it, and kill() ends all of it.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Where cgroup v2 is mounted on this machine (hybrid hosts mount it apart).
export function cgroupRoot(): string {
  for (const dir of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
    if (existsSync(join(dir, 'cgroup.procs')) && existsSync(join(dir, 'cgroup.max.depth'))) return dir;
  }
  throw new Error('no cgroup v2 hierarchy mounted (looked at /sys/fs/cgroup/unified and /sys/fs/cgroup)');
}

// One cgroup, created under syscall-prof-corpus/ with a unique name.
export class Cgroup {
  readonly path: string;

  constructor(name: string) {
    const parent = join(cgroupRoot(), 'syscall-prof-corpus');
    mkdirSync(parent, { recursive: true });
    this.path = join(parent, `${name}-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(this.path);
  }

  // argv wrapped so the process joins this cgroup before it execs (its children follow).
  wrap(argv: readonly string[]): string[] {
    return ['/bin/sh', '-c', `echo $$ > '${join(this.path, 'cgroup.procs')}' && exec "$@"`, 'sh', ...argv];
  }

  // The pids in it now.
  pids(): number[] {
    try {
      return readFileSync(join(this.path, 'cgroup.procs'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map(Number);
    } catch {
      return [];
    }
  }

  // Kills everything in it (SIGKILL through cgroup.kill), waits until it is empty, removes it.
  async destroy(ms = 5000): Promise<void> {
    if (!existsSync(this.path)) return;
    try {
      writeFileSync(join(this.path, 'cgroup.kill'), '1');
    } catch {
      for (const pid of this.pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    const until = Date.now() + ms;
    while (this.pids().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    try {
      rmdirSync(this.path);
    } catch {
      // still busy: left for the next run's clean-up to find
    }
  }
}
