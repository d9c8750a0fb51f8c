// Helpers for integration tests that run the real loader on the real kernel.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const loader = join(root, '.output/loader/syscall-prof-loader');
export const cli = join(root, 'bin/syscall-prof.js');

// Path of a built workload from test/workloads/.
export function workload(name: string): string {
  return join(root, '.output/workloads', name);
}

// A fresh temporary directory for one test's files.
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'syscall-prof-it-'));
}

// Names of the loaded BPF programs that are ours (all start with "sp_").
export function ourPrograms(): string[] {
  const out = execFileSync('bpftool', ['-j', 'prog', 'list'], { encoding: 'utf8' });
  const progs = JSON.parse(out) as { name?: string }[];
  return progs.map((p) => p.name ?? '').filter((n) => n.startsWith('sp_'));
}

// Waits until none of our BPF programs is loaded (the kernel frees them
// asynchronously after the last reference goes); returns what is left.
export async function programsLeftAfter(ms = 3000): Promise<string[]> {
  const until = Date.now() + ms;
  let left = ourPrograms();
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = ourPrograms();
  }
  return left;
}

// Whether a process exists.
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Polls until cond() holds or ms pass; returns its last value.
export async function eventually(cond: () => boolean, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return cond();
}

// Whether the tests can use eBPF here (root).
export const canTrace = process.getuid?.() === 0;
