// `report` end to end through the built CLI: stdout, --output written atomically.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportModel } from '../../src/core/analysis/report-model.js';
import { NO_CHARTS_NOTE, renderMarkdownReport } from '../../src/presentation/render/markdown-report.js';
import { runBuiltCli } from '../helpers/cli.js';
import { analysisOf, csvCapture, sampleEvents } from '../helpers/offline.js';

let dir: string;
let csv: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'syscall-prof-report-'));
  csv = join(dir, 'f.csv');
  writeFileSync(csv, csvCapture(sampleEvents(), { durationNs: 1e9 }));
});

describe('report', () => {
  it('prints the Markdown report to stdout without --output', async () => {
    const r = await runBuiltCli(['report', '--input', csv]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    // the same bytes as the renderer gives for the same capture (its layout is
    // pinned by test/presentation/render/markdown-report.test.ts's golden)
    const a = await analysisOf(sampleEvents(), { durationNs: 1e9 });
    expect(r.stdout).toBe(renderMarkdownReport(csv, a, reportModel(a, null)));
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

  it('writes the SVG charts beside --output and links them relatively', async () => {
    const sub = join(dir, 'charts');
    mkdirSync(sub);
    const out = join(sub, 'report.md');
    const r = await runBuiltCli(['report', '--input', csv, '--output', out]);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(join(sub, 'report.md.assets')).sort()).toEqual(['categories.svg', 'latency-epoll_wait.svg', 'latency-fsync.svg', 'latency-read.svg']);
    expect(readdirSync(sub).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const md = readFileSync(out, 'utf8');
    const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links).toEqual(['report.md.assets/categories.svg', 'report.md.assets/latency-epoll_wait.svg', 'report.md.assets/latency-fsync.svg', 'report.md.assets/latency-read.svg']);
    for (const l of links) expect(readFileSync(join(sub, l), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/);
    expect(readFileSync(join(sub, 'report.md.assets/categories.svg'), 'utf8')).toContain('← BOTTLENECK');
    // the report on stdout is the same Markdown without the chart links
    const stdout = await runBuiltCli(['report', '--input', csv]);
    expect(stdout.stdout).toContain(NO_CHARTS_NOTE);
    expect(stdout.stdout).not.toContain('![');
  });

  it('prints the report model as JSON with --json', async () => {
    const r = await runBuiltCli(['report', '--input', csv, '--json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as { format: string; verdict: { kind: string }; findings: Array<{ rule: string; severity: string; savingNs: number }>; rows: Array<{ name: string }> };
    expect(j.format).toBe('syscall-prof/report');
    expect(j.rows.map((x) => x.name)).toEqual(['epoll_wait', 'fsync', 'read', 'openat']);
    const a = await analysisOf(sampleEvents(), { durationNs: 1e9 });
    const findings = reportModel(a, null).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(j.findings.map((f) => [f.rule, f.severity, f.savingNs])).toEqual(findings.map((f) => [f.rule, f.severity, f.savingNs]));
    expect(typeof j.verdict.kind).toBe('string');
  });

  it('documents itself with examples', async () => {
    const r = await runBuiltCli(['report', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES\n  syscall-prof report --input trace.csv --output report.md\n');
  });
});
