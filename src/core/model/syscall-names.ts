// Syscall number <-> name lookups per architecture, from the tables that
// scripts/gen-syscalls.mjs generates from the kernel headers at build time.
import { SYSCALL_TABLES } from './generated/syscalls.js';

// Architecture names as the kernel (uname -m) and captures spell them, and the aliases accepted for them.
const ALIASES: Readonly<Record<string, string>> = { arm64: 'aarch64', amd64: 'x86_64', x64: 'x86_64' };

const TABLES: ReadonlyMap<string, ReadonlyMap<number, string>> = new Map(Object.entries(SYSCALL_TABLES));
const REVERSE = new Map<string, Map<string, number>>();

// The architecture name of this machine, as captures record it (node's process.arch -> uname -m).
export function hostArch(arch: string = process.arch): string {
  switch (arch) {
    case 'x64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    default:
      return arch;
  }
}

// The architectures with a syscall table, by their capture names.
export function knownArches(): string[] {
  return [...TABLES.keys()];
}

// The syscall table of an architecture (its name or an alias), or undefined when there is none.
export function syscallTable(arch: string): ReadonlyMap<number, string> | undefined {
  return TABLES.get(ALIASES[arch] ?? arch);
}

// Every syscall name some architecture has (x86_64's first, in number order).
export function allSyscallNames(): string[] {
  return [...new Set([...TABLES.values()].flatMap((t) => [...t.values()]))];
}

// The name of a syscall number, or `syscall_<nr>` when the architecture or number is unknown.
export function syscallName(arch: string, nr: number): string {
  return syscallTable(arch)?.get(nr) ?? `syscall_${nr}`;
}

// The number of a syscall name (also accepts `syscall_<nr>`), or null when unknown.
export function syscallNumber(arch: string, name: string): number | null {
  const key = ALIASES[arch] ?? arch;
  const table = TABLES.get(key);
  if (table !== undefined) {
    let reverse = REVERSE.get(key);
    if (reverse === undefined) {
      reverse = new Map([...table].map(([nr, n]) => [n, nr]));
      REVERSE.set(key, reverse);
    }
    const nr = reverse.get(name);
    if (nr !== undefined) return nr;
  }
  const m = /^syscall_(\d+)$/.exec(name);
  return m === null ? null : Number(m[1]);
}
