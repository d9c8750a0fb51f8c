// `report` end to end through the built CLI: stdout, --output written atomically.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { csvCapture, sampleEvents } from '../helpers/offline.js';

const GOLDEN = new URL('../fixtures/offline/sample-report.md', import.meta.url);
let dir: string;
let csv: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'syscall-prof-report-'));
  csv = join(dir, 'f.csv');
  writeFileSync(csv, csvCapture(sampleEvents(), { durationNs: 10e9 }));
});

describe('report', () => {
  it('prints the Markdown report to stdout without --output', async () => {
    const r = await runBuiltCli(['report', '--input', csv]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(readFileSync(GOLDEN, 'utf8').replace('f.csv', csv));
  });

  it('writes --output, replacing an existing file, and prints nothing', async () => {
    const out = join(dir, 'report.md');
    writeFileSync(out, 'old report\n');
    const r = await runBuiltCli(['report', '--input', csv, '--output', out, '--top', '2']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('... and 2 more syscalls (see --top).');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('leaves an existing file alone when the input is bad', async () => {
    const out = join(dir, 'kept.md');
    writeFileSync(out, 'old report\n');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp_ns,pid\n1,2\n');
    const r = await runBuiltCli(['report', '--input', bad, '--output', out]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/^syscall-prof: .*bad\.csv: /);
    expect(readFileSync(out, 'utf8')).toBe('old report\n');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('fails with one line when the output cannot be created', async () => {
    const r = await runBuiltCli(['report', '--input', csv, '--output', join(dir, 'no/such/dir/r.md')]);
    expect(r.exitCode).toBe(74);
    expect(r.stderr).toMatch(/^syscall-prof: cannot create .*r\.md: no such directory\n$/);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('documents itself with examples', async () => {
    const r = await runBuiltCli(['report', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES\n  syscall-prof report --input trace.csv --output report.md\n');
  });
});
