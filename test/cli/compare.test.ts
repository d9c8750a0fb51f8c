// `compare` end to end through the built CLI: tables, --output with charts
// beside it and nothing else touched, labels, and bad input.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaptureWriter } from '../../src/core/capture/writer.js';
import { batchesOf, type SyscallEvent } from '../../src/core/model/events.js';
import type { LoadLevel } from '../../src/core/model/load.js';
import { runBuiltCli } from '../helpers/cli.js';
import { callsOf, logNormal, metaOf } from '../helpers/offline.js';

let dir: string;
const files: string[] = [];

function load(label: string, workers: number): LoadLevel {
  const none = { some: 0, full: 0 };
  return { label, generator: workers === 0 ? null : `stress-ng --cpu ${workers}`, workers, windowNs: 1e9, cpuBusy: workers / 2, cpuPressure: none, ioPressure: none, memoryPressure: none };
}

function write(name: string, events: SyscallEvent[], level: LoadLevel | null): string {
  const path = join(dir, name);
  const w = createCaptureWriter(path, 'csv', metaOf());
  for (const b of batchesOf(events, 1000)) w.write(b);
  w.commit({ durationNs: 2e9, lostEvents: 0, load: level });
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'syscall-prof-compare-'));
  [0, 1, 2].forEach((w, k) => {
    const reads = callsOf('read', logNormal(300, 20_000 * (1 + w), 0.3, k + 1)).map((e, i) => ({ ...e, startNs: i * 5e6 }));
    files.push(write(`level${w}.csv`, reads, load(['none', 'one', 'two'][k]!, w)));
  });
});

describe('compare', () => {
  it('prints the tables, levels named by their recorded load', async () => {
    const r = await runBuiltCli(['compare', ...files]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Comparison of 3 captures/);
    expect(r.stdout).toMatch(/\nnone +.*level0\.csv/);
    expect(r.stdout).toContain('two: stress-ng --cpu 2: CPUs 100% busy');
    expect(r.stdout).toMatch(/\ntwo .*SLOWER p50/);
  });

  it('writes Markdown and three charts with --output, and nothing else', async () => {
    const out = mkdtempSync(join(tmpdir(), 'syscall-prof-compare-out-'));
    const r = await runBuiltCli(['compare', ...files, '--labels', 'a,b,c', '--output', join(out, 'cmp.md')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(out).sort()).toEqual(['cmp.md', 'cmp.md.assets']);
    expect(readdirSync(join(out, 'cmp.md.assets')).sort()).toEqual(['categories.svg', 'distributions.svg', 'latency.svg']);
    const md = readFileSync(join(out, 'cmp.md'), 'utf8');
    expect(md).toContain('# Comparison: a, b, c');
    expect(md).toContain('](cmp.md.assets/latency.svg)');
  });

  it('--json for scripts', async () => {
    const r = await runBuiltCli(['compare', files[0]!, files[2]!, '--json', '--syscalls', 'read']);
    const j = JSON.parse(r.stdout) as { rows: { syscall: string; changes: ({ regressed: string[] } | null)[] }[] };
    expect(j.rows.map((x) => x.syscall)).toEqual(['read']);
    expect(j.rows[0]!.changes[1]!.regressed).toContain('p50');
  });

  it.each([
    [['compare', 'only-one.csv'], /needs at least two captures/],
    [['compare', 'a.csv', 'b.csv', '--labels', 'x'], /--labels gives 1 label for 2 captures/],
  ])('%j: one line, exit 2', async (args, message) => {
    const r = await runBuiltCli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing capture: one line naming it, non-zero', async () => {
    const r = await runBuiltCli(['compare', files[0]!, join(dir, 'nope.csv')]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('nope.csv');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
