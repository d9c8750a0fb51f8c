// `diff` end to end through the built CLI on two real captures (test/fixtures/diff/README.md).
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';

const BEFORE = fileURLToPath(new URL('../fixtures/diff/before-buffered_write-200.csv', import.meta.url));
const AFTER = fileURLToPath(new URL('../fixtures/diff/after-fsync_write-200.csv', import.meta.url));

interface DiffJson {
  readonly before: { calls: number };
  readonly after: { calls: number };
  readonly verdict: { before: string; after: string; changed: boolean };
  readonly regressions: number;
  readonly syscalls: Array<{ name: string; status: string; regression: boolean; regressed: string[]; count: { before: number | null; after: number | null } }>;
  readonly categories: Array<{ category: string; bottleneckBefore: boolean; bottleneckAfter: boolean }>;
  readonly newFindings: Array<{ rule: string; syscall: string | null }>;
  readonly goneFindings: Array<{ rule: string; syscall: string | null }>;
}

describe('diff', () => {
  it('uses small fixtures', () => {
    expect(statSync(BEFORE).size).toBeLessThan(200_000);
    expect(statSync(AFTER).size).toBeLessThan(200_000);
  });

  it('finds what adding fsync changed (JSON)', async () => {
    const r = await runBuiltCli(['diff', '--json', BEFORE, AFTER]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as DiffJson;
    expect([j.before.calls, j.after.calls]).toEqual([232, 432]);
    const by = new Map(j.syscalls.map((s) => [s.name, s]));
    expect(by.get('fsync')).toMatchObject({ status: 'new', regression: false, count: { before: null, after: 200 } });
    expect(by.get('write')).toMatchObject({ status: 'both', regression: true, count: { before: 200, after: 200 } });
    expect(by.get('write')!.regressed).toContain('total');
    // too few calls to mean anything: never flagged, whatever they did
    expect(j.syscalls.filter((s) => s.regression).map((s) => s.name)).toEqual(['write']);
    expect(j.regressions).toBe(1);
    expect(j.verdict).toMatchObject({ after: 'io-bound', changed: true });
    expect(j.categories.find((c) => c.category === 'sync')).toMatchObject({ bottleneckBefore: false, bottleneckAfter: true });
    expect(j.newFindings.map((f) => f.rule)).toContain('sync-dominant');
  });

  it('prints the tables without colour when not on a terminal', async () => {
    const r = await runBuiltCli(['diff', BEFORE, AFTER]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stdout).toContain('Calls:        232 → 432 (+86.2%)');
    expect(r.stdout).toMatch(/\nwrite +200 → 200 +0% .* REGRESSION \((p99, )?total\)\n/);
    expect(r.stdout).toMatch(/\nfsync +- → 200 +new /);
    expect(r.stdout).toMatch(/\nDisk sync +- → [\d.]+ ms +new +- → [\d.]+% +bottleneck \(new\)\n/);
    expect(r.stdout).toContain('+ new:  fsync() dominates');
  });

  it('flags nothing with a threshold above every change', async () => {
    const r = await runBuiltCli(['diff', '--json', '--threshold', '1000%', BEFORE, AFTER]);
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as DiffJson).regressions).toBe(0);
  });

  it.each([
    [['diff', BEFORE], /missing required argument 'after'/, 2],
    [['diff', '--threshold', 'lots', BEFORE, AFTER], /expected a percentage/, 2],
    [['diff', BEFORE, '/no/such/after.csv'], /^syscall-prof: \/no\/such\/after\.csv: cannot open: no such file\n$/, 65],
  ])('rejects %j with one line', async (args, message, code) => {
    const r = await runBuiltCli(args);
    expect(r.exitCode).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the file with an unreadable row, exit 65', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-diff-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp_ns,pid,tid,comm,syscall,duration_ns,ret,errno,arg0,arg1,arg2,arg3,arg4,arg5,pos,path\n1,2,2,x,read,notanumber,0,,0x0,0x0,0x0,0x0,0x0,0x0,,\n');
    const r = await runBuiltCli(['diff', BEFORE, bad]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/^syscall-prof: .*bad\.csv: line 2: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('documents itself with examples', async () => {
    const r = await runBuiltCli(['diff', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES\n  syscall-prof diff before.csv after.csv\n');
  });
});
