#!/usr/bin/env node
// Generates the syscall tables of every supported architecture from the
// kernel's UAPI headers (Debian linux-libc-dev, linux-libc-dev-arm64-cross)
// and scripts/syscall-args.txt:
//   <c-dir>/syscalls_<arch>.h   numbers and event-data specs for the BPF program and the loader
//   <ts-file>                   number <-> name tables and argument kinds for the TS side
// usage: node scripts/gen-syscalls.mjs [--c-dir DIR] [--ts FILE] [--args FILE]
// The outputs are build products (under .output/ or ignored by git): never edit them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Where each architecture's syscall numbers come from: a header and the include
// directory its #includes resolve in (arm64 builds its table from asm-generic);
// uname is the name captures record (uname -m, the loader's SP_ARCH).
export const ARCHES = {
  x86_64: {
    uname: 'x86_64',
    header: process.env.SP_UNISTD_X86_64 ?? '/usr/include/x86_64-linux-gnu/asm/unistd_64.h',
    include: process.env.SP_INCLUDE_X86_64 ?? '/usr/include',
    debPackage: 'linux-libc-dev',
  },
  arm64: {
    uname: 'aarch64',
    header: process.env.SP_UNISTD_ARM64 ?? '/usr/aarch64-linux-gnu/include/asm/unistd.h',
    include: process.env.SP_INCLUDE_ARM64 ?? '/usr/aarch64-linux-gnu/include',
    debPackage: 'linux-libc-dev-arm64-cross',
  },
};

// Argument kinds of scripts/syscall-args.txt, and the event-data kind (enum
// ev_data_kind in bpf/syscall_prof.h) of those carried in event records.
const KINDS = new Set(['-', 'fd', 'fd-in', 'fd-out', 'dirfd', 'path', 'sockaddr', 'sockaddr-out', 'fd-pair']);
const DATA_KINDS = new Map([
  ['path', 'DATA_PATH'],
  ['sockaddr', 'DATA_SOCKADDR'],
  ['sockaddr-out', 'DATA_SOCKADDR_PTRLEN'],
  ['fd-pair', 'DATA_PIPE_FDS'],
]);
// the BPF side reads a carried argument's length from the next one, so 0..4
const MAX_DATA_ARG = 4;
// syscalls a syscall takes at most
const MAX_ARGS = 6;

// Syscall number -> name for one architecture, through the C preprocessor (the
// arm64 table is asm-generic's, selected by the __ARCH_WANT_* macros arm64 sets).
export function readNumbers(arch) {
  const { header, include, debPackage } = ARCHES[arch];
  let macros;
  try {
    macros = execFileSync(process.env.CC ?? 'cc', ['-E', '-dM', '-nostdinc', '-I', include, header], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    throw new Error(`gen-syscalls: reading ${header} for ${arch} failed (is ${debPackage} installed? make deps installs it): ${err.stderr || err.message}`);
  }
  const defs = new Map();
  for (const m of macros.matchAll(/^#define (__NR\w+) (\S+)$/gm)) defs.set(m[1], m[2]);
  const value = (v, depth = 0) => (/^\d+$/.test(v) ? Number(v) : depth < 4 && defs.has(v) ? value(defs.get(v), depth + 1) : null);
  const table = new Map();
  for (const [macro, v] of defs) {
    const name = /^__NR_(\w+)$/.exec(macro)?.[1];
    if (name === undefined || name === 'syscalls') continue;
    const nr = value(v);
    if (nr === null) throw new Error(`gen-syscalls: ${header}: ${macro} is ${v}, not a number`);
    if (table.has(nr)) throw new Error(`gen-syscalls: ${header}: ${nr} is both ${table.get(nr)} and ${name}`);
    table.set(nr, name);
  }
  if (table.size < 250) throw new Error(`gen-syscalls: ${header}: only ${table.size} syscalls found for ${arch}`);
  return table;
}

// The annotation file: argument kinds by syscall name, and numbers newer than the headers.
export function readArgs(path) {
  const args = new Map();
  const numbers = new Map();
  readFileSync(path, 'utf8').split('\n').forEach((raw, i) => {
    const where = `${path}:${i + 1}`;
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return;
    if (words[0] === 'number') {
      if (words.length !== 3 || !/^\d+$/.test(words[1]) || !/^\w+$/.test(words[2])) throw new Error(`${where}: expected "number NR NAME"`);
      numbers.set(words[2], Number(words[1]));
      return;
    }
    const [name, ...kinds] = words;
    if (!/^\w+$/.test(name)) throw new Error(`${where}: "${name}" is not a syscall name`);
    if (args.has(name)) throw new Error(`${where}: ${name} is annotated twice`);
    if (kinds.length === 0 || kinds.length > MAX_ARGS) throw new Error(`${where}: ${name} needs 1..${MAX_ARGS} argument kinds`);
    for (const k of kinds) if (!KINDS.has(k)) throw new Error(`${where}: unknown argument kind "${k}"`);
    const carried = kinds.flatMap((k, arg) => (DATA_KINDS.has(k) ? [arg] : []));
    if (carried.length > 1) throw new Error(`${where}: ${name} carries more than one argument`);
    if (carried.length === 1 && carried[0] > MAX_DATA_ARG) throw new Error(`${where}: ${name} carries argument ${carried[0]}; at most ${MAX_DATA_ARG}`);
    for (const k of ['fd', 'dirfd', 'fd-in', 'fd-out']) {
      if (kinds.filter((x) => x === k).length > 1) throw new Error(`${where}: ${name} has more than one ${k}`);
    }
    if (kinds.includes('fd-in') !== kinds.includes('fd-out')) throw new Error(`${where}: ${name} needs both fd-in and fd-out`);
    args.set(name, kinds);
  });
  return { args, numbers };
}

// Adds the syscalls newer than the headers, checking those the headers already have.
function addNewer(arch, table, numbers) {
  const byName = new Map([...table].map(([nr, name]) => [name, nr]));
  for (const [name, nr] of numbers) {
    if (byName.has(name)) {
      if (byName.get(name) !== nr) throw new Error(`gen-syscalls: ${name} is ${byName.get(name)} on ${arch}, not ${nr} as syscall-args.txt says`);
      continue;
    }
    if (table.has(nr)) throw new Error(`gen-syscalls: ${nr} is ${table.get(nr)} on ${arch}, not ${name} as syscall-args.txt says`);
    table.set(nr, name);
  }
  return new Map([...table].sort((a, b) => a[0] - b[0]));
}

// Every table and the annotations, checked against each other.
export function generate(argsPath = join(root, 'scripts/syscall-args.txt')) {
  const { args, numbers } = readArgs(argsPath);
  const tables = {};
  for (const arch of Object.keys(ARCHES)) tables[arch] = addNewer(arch, readNumbers(arch), numbers);
  const known = new Set(Object.values(tables).flatMap((t) => [...t.values()]));
  for (const name of args.keys()) {
    if (!known.has(name)) throw new Error(`gen-syscalls: syscall-args.txt annotates ${name}, which no architecture has`);
  }
  return { tables, args };
}

const HEAD = 'generated by scripts/gen-syscalls.mjs from the kernel UAPI headers and scripts/syscall-args.txt: do not edit';

// The C header of one architecture.
export function cHeader(arch, table, args) {
  const guard = `SYSCALLS_${arch.toUpperCase()}_H`;
  const max = Math.max(...table.keys());
  const lines = [
    `/* ${HEAD} */`,
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    `/* the architecture's name in capture metadata */`,
    `#define SP_ARCH "${ARCHES[arch].uname}"`,
    `/* one more than the highest syscall number */`,
    `#define SP_NR_COUNT ${max + 1}`,
    '',
    `/* syscall numbers, SP_NR_<name> */`,
    ...[...table].map(([nr, name]) => `#define SP_NR_${name} ${nr}`),
    '',
    `/*`,
    ` * what extra data a syscall's event record carries: X(nr, kind, arg) per`,
    ` * syscall, kind an enum ev_data_kind (bpf/syscall_prof.h), arg the argument`,
    ` * index; the loader stores kind << 4 | arg at nr in the data_spec map`,
    ` */`,
    `#define SP_DATA_SPECS(X) \\`,
  ];
  for (const [nr, name] of table) {
    const kinds = args.get(name);
    const arg = kinds?.findIndex((k) => DATA_KINDS.has(k)) ?? -1;
    if (arg >= 0) lines.push(`\tX(${nr}, ${DATA_KINDS.get(kinds[arg])}, ${arg}) /* ${name} */ \\`);
  }
  lines.push('\t/* end */', '', `#endif /* ${guard} */`, '');
  return lines.join('\n');
}

// The TS module: every architecture's table and the argument kinds.
export function tsModule(tables, args) {
  const lines = [
    `// ${HEAD}.`,
    '',
    `// What an argument of a syscall is (see scripts/syscall-args.txt); '-' when nothing uses it.`,
    `export type ArgKind = ${[...KINDS].map((k) => `'${k}'`).join(' | ')};`,
    '',
    `// Syscall names by number, per architecture (uname -m names, as captures record them).`,
    `export const SYSCALL_TABLES: Readonly<Record<string, ReadonlyMap<number, string>>> = {`,
  ];
  for (const [arch, table] of Object.entries(tables)) {
    lines.push(`  ${ARCHES[arch].uname}: new Map<number, string>([`);
    for (const [nr, name] of table) lines.push(`    [${nr}, '${name}'],`);
    lines.push('  ]),');
  }
  lines.push('};', '', `// The argument kinds of the annotated syscalls, by name (the same on every architecture).`);
  lines.push(`export const SYSCALL_ARGS: ReadonlyMap<string, readonly ArgKind[]> = new Map<string, readonly ArgKind[]>([`);
  for (const [name, kinds] of args) lines.push(`  ['${name}', [${kinds.map((k) => `'${k}'`).join(', ')}]],`);
  lines.push(']);', '');
  return lines.join('\n');
}

// Writes a file only when its content changes (make and tsc see no new date otherwise).
function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  let old = null;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    // absent: write it
  }
  if (old === text) return;
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function main(argv) {
  const opt = { 'c-dir': join(root, '.output/gen'), ts: join(root, 'src/core/model/generated/syscalls.ts'), args: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opt) || argv[i + 1] === undefined) throw new Error(`usage: gen-syscalls.mjs [--c-dir DIR] [--ts FILE] [--args FILE] (bad "${argv[i]}")`);
    opt[key] = argv[i + 1];
  }
  const { tables, args } = generate(opt.args);
  for (const [arch, table] of Object.entries(tables)) write(join(opt['c-dir'], `syscalls_${arch}.h`), cHeader(arch, table, args));
  write(opt.ts, tsModule(tables, args));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
