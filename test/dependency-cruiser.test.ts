// The dependency rules of .dependency-cruiser.cjs (run by `make lint-deps`)
// against a planted tree: every forbidden import is reported under its rule,
// no allowed one is, and depcruise exits non-zero, which fails `make test`.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './helpers/kernel.js';

// file -> what it imports (relative paths from src/, or package names)
const TREE: Readonly<Record<string, readonly string[]>> = {
  'core/model/m0.ts': [],
  'core/model/m.ts': ['core/system/s'],
  'core/system/s.ts': ['core/model/m0'],
  'core/errors.ts': ['core/model/m0'],
  'core/wire/w0.ts': ['core/model/m0', 'core/errors'],
  'core/wire/w.ts': ['core/capture/c', 'core/model/m0'],
  'core/capture/c.ts': ['core/backends/b', 'commander', 'core/wire/w0'],
  'core/backends/b.ts': ['core/analysis/a', 'ink', 'core/wire/w0'],
  'core/analysis/a.ts': ['core/wire/w0', 'presentation/render/r', 'core/model/m0'],
  'presentation/output.ts': ['presentation/render/r0'],
  'presentation/render/r0.ts': ['core/model/m0'],
  'presentation/render/r.ts': ['presentation/tui/t', 'commander', 'presentation/render/r0'],
  'presentation/tui/t2.ts': ['react'],
  'presentation/tui/t.ts': ['presentation/export/e', 'ink', 'presentation/tui/t2', 'presentation/render/r0', 'core/model/m0'],
  'presentation/export/e.ts': ['cli/x', 'presentation/output', 'core/system/s'],
  'cli/x.ts': ['cli/y', 'commander', 'core/model/m0', 'presentation/render/r0'],
  'cli/y.ts': ['cli/x'],
};

// Every violation the tree holds, as "rule: from -> to" (packages by name).
const EXPECTED = [
  'model-imports-nothing: core/model/m.ts -> core/system/s.ts',
  'system-imports-nothing: core/system/s.ts -> core/model/m0.ts',
  'core-root-imports-nothing: core/errors.ts -> core/model/m0.ts',
  'wire-below-capture: core/wire/w.ts -> core/capture/c.ts',
  'capture-below-backends: core/capture/c.ts -> core/backends/b.ts',
  'core-no-ui-libraries: core/capture/c.ts -> commander',
  'only-cli-parses-options: core/capture/c.ts -> commander',
  'backends-not-analysis: core/backends/b.ts -> core/analysis/a.ts',
  'core-no-ui-libraries: core/backends/b.ts -> ink',
  'analysis-needs-only-the-model: core/analysis/a.ts -> core/wire/w0.ts',
  'core-not-presentation-or-cli: core/analysis/a.ts -> presentation/render/r.ts',
  'presentation-root-imports-core-only: presentation/output.ts -> presentation/render/r0.ts',
  'render-below-tui-and-export: presentation/render/r.ts -> presentation/tui/t.ts',
  'only-cli-parses-options: presentation/render/r.ts -> commander',
  'tui-and-export-apart: presentation/tui/t.ts -> presentation/export/e.ts',
  'presentation-not-cli: presentation/export/e.ts -> cli/x.ts',
  // a cycle is reported once, at its first edge
  'no-circular: cli/x.ts -> cli/y.ts',
].sort();

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

function importLine(from: string, target: string): string {
  if (!target.includes('/')) return `import '${target}';`;
  let rel = join('src', target).split('/');
  const here = dirname(join('src', from)).split('/');
  while (rel.length > 0 && here.length > 0 && rel[0] === here[0]) {
    rel = rel.slice(1);
    here.shift();
  }
  const up = here.length === 0 ? './' : '../'.repeat(here.length);
  return `import '${up}${rel.join('/')}.js';`;
}

// Runs depcruise as `make lint-deps` does (its exit code) and again for the violations as JSON.
async function cruise(cwd: string): Promise<{ exitCode: number | undefined; violations: Violation[]; cruised: number }> {
  const run = (type: string) =>
    execa(join(root, 'node_modules/.bin/depcruise'), ['src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', type], { cwd, reject: false });
  const [err, json] = await Promise.all([run('err'), run('json')]);
  const out = JSON.parse(json.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { exitCode: err.exitCode, violations: out.summary.violations, cruised: out.summary.totalCruised };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'syscall-prof-depcruise-'));
  for (const [file, targets] of Object.entries(TREE)) {
    const path = join(dir, 'src', file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${targets.map((t) => importLine(file, t)).join('\n')}\nexport const x = 1;\n`);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', jsx: 'react-jsx' } }));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.dependency-cruiser.cjs', () => {
  it('reports each forbidden import of a planted tree under its rule, and no allowed one', async () => {
    const r = await cruise(dir);
    const name = (p: string): string => (p.includes('node_modules/') ? /node_modules\/([^/]+)\//.exec(p)![1]! : p.replace(/^src\//, ''));
    const got = r.violations.map((v) => `${v.rule.name}: ${name(v.from)} -> ${name(v.to)}`).sort();
    expect(got).toEqual(EXPECTED);
    // violations fail the command (and so `make lint-deps` and `make test`): exit code = their number
    expect(r.exitCode).toBe(EXPECTED.length);
  });

  it('passes a tree without them', async () => {
    const clean = mkdtempSync(join(tmpdir(), 'syscall-prof-depcruise-ok-'));
    try {
      for (const [file, body] of [
        ['src/core/model/m.ts', 'export const m = 1;\n'],
        ['src/core/wire/w.ts', "import { m } from '../model/m.js';\nexport const w = m;\n"],
        ['src/presentation/tui/t.tsx', "import { Text } from 'ink';\nimport { w } from '../../core/wire/w.js';\nexport const T = () => <Text>{w}</Text>;\n"],
        ['src/cli/x.ts', "import { Command } from 'commander';\nimport { T } from '../presentation/tui/t.js';\nexport const x = [Command, T];\n"],
      ] as const) {
        mkdirSync(dirname(join(clean, file)), { recursive: true });
        writeFileSync(join(clean, file), body);
      }
      writeFileSync(join(clean, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', jsx: 'react-jsx' } }));
      symlinkSync(join(root, 'node_modules'), join(clean, 'node_modules'));
      const r = await cruise(clean);
      expect(r.exitCode).toBe(0);
      expect(r.violations).toEqual([]);
      // the files and the packages they import were all seen
      expect(r.cruised).toBeGreaterThanOrEqual(6);
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });
});
