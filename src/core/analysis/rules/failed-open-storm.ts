// Rule failed-open-storm: many opens fail with ENOENT while looking for files
// along search paths (library paths, config directories, PATH, module paths).
//
// Fires when at least FAILED_OPEN_MIN opens failed with ENOENT and at least one
// file name was looked for in FAILED_OPEN_MIN_DIRS or more directories. Needs
// per-call facts (paths).
//
// Saving: a search path that starts where the file is (or a cache of where it
// was found) avoids the failed opens: their whole time.
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { sumOf, wallShare } from './measure.js';

// At least this many ENOENT opens...
export const FAILED_OPEN_MIN = 20;
// ...with some file name looked for in at least this many directories.
export const FAILED_OPEN_MIN_DIRS = 2;
// File names listed in the evidence.
export const FAILED_OPEN_SHOWN = 3;

const OPEN_SYSCALLS = ['openat', 'open', 'openat2', 'creat'];

// A file name and where it was looked for.
interface Searched {
  readonly name: string;
  readonly dirs: Set<string>;
  failures: number;
  found: boolean;
}

// A failed-open-storm finding: the file names searched for most (at most FAILED_OPEN_SHOWN).
export type FailedOpenStormFinding = Finding<
  'failed-open-storm',
  { readonly searched: readonly { readonly name: string; readonly dirs: number; readonly failures: number; readonly found: boolean }[] },
  { readonly failedOpens: number; readonly opens: number; readonly failedPaths: number; readonly failedNs: number; readonly wallShare: number | null }
>;

// Failed opens along search paths.
export function failedOpenStorm(ctx: FindingContext): FailedOpenStormFinding[] {
  if (ctx.facts === null) return [];
  const failed = ctx.facts.paths.paths.filter((p) => p.openEnoent > 0);
  const count = failed.reduce((n, p) => n + p.openEnoent, 0);
  if (count < FAILED_OPEN_MIN) return [];
  const byName = new Map<string, Searched>();
  for (const p of ctx.facts.paths.paths) {
    if (p.opens === 0) continue;
    const { dir, name } = split(p.path);
    const s = byName.get(name) ?? { name, dirs: new Set<string>(), failures: 0, found: false };
    s.dirs.add(dir);
    s.failures += p.openEnoent;
    if (p.opens > p.openFailures) s.found = true;
    byName.set(name, s);
  }
  const searched = [...byName.values()].filter((s) => s.failures > 0 && s.dirs.size >= FAILED_OPEN_MIN_DIRS).sort((a, b) => b.failures - a.failures || (a.name < b.name ? -1 : 1));
  if (searched.length === 0) return [];
  const savingNs = failed.reduce((n, p) => n + p.enoentNs, 0);
  const syscall = OPEN_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined).sort((a, b) => b.count - a.count)[0]?.name ?? 'openat';
  const opens = sumOf(ctx, OPEN_SYSCALLS).calls;
  return [
    finding<FailedOpenStormFinding>(ctx, {
      rule: 'failed-open-storm',
      syscall,
      subject: { searched: searched.slice(0, FAILED_OPEN_SHOWN).map((s) => ({ name: s.name, dirs: s.dirs.size, failures: s.failures, found: s.found })) },
      metrics: { failedOpens: count, opens, failedPaths: failed.length, failedNs: savingNs, wallShare: wallShare(ctx, savingNs) },
      savingNs,
    }),
  ];
}

// The rule's registry entry.
export const FAILED_OPEN_STORM: FindingRule<FailedOpenStormFinding> = { id: 'failed-open-storm', generic: false, run: failedOpenStorm };

function split(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { dir: '.', name: path } : { dir: path.slice(0, slash) || '/', name: path.slice(slash + 1) };
}
