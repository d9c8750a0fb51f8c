// Syscall number <-> name lookups per architecture.
import { X86_64_SYSCALLS } from './syscalls-x86_64.js';

const TABLES: ReadonlyMap<string, ReadonlyMap<number, string>> = new Map([['x86_64', X86_64_SYSCALLS]]);
const REVERSE = new Map<string, Map<string, number>>();

// The name of a syscall number, or `syscall_<nr>` when the architecture or number is unknown.
export function syscallName(arch: string, nr: number): string {
  return TABLES.get(arch)?.get(nr) ?? `syscall_${nr}`;
}

// The number of a syscall name (also accepts `syscall_<nr>`), or null when unknown.
export function syscallNumber(arch: string, name: string): number | null {
  const table = TABLES.get(arch);
  if (table !== undefined) {
    let reverse = REVERSE.get(arch);
    if (reverse === undefined) {
      reverse = new Map([...table].map(([nr, n]) => [n, nr]));
      REVERSE.set(arch, reverse);
    }
    const nr = reverse.get(name);
    if (nr !== undefined) return nr;
  }
  const m = /^syscall_(\d+)$/.exec(name);
  return m === null ? null : Number(m[1]);
}
