// `diff` end to end through the built CLI on two real captures (test/fixtures/diff/README.md).
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCaptureWriter } from '../../src/core/capture/writer.js';
import type { CaptureFormat } from '../../src/core/capture/format.js';
import { batchesOf, type SyscallEvent } from '../../src/core/model/events.js';
import { runBuiltCli } from '../helpers/cli.js';
import { encodeStream, headerFrame, snapshotFrame, statsOf } from '../helpers/frames.js';
import { callsOf, logNormal, metaOf } from '../helpers/offline.js';

const BEFORE = fileURLToPath(new URL('../fixtures/diff/before-buffered_write-200.csv', import.meta.url));
const AFTER = fileURLToPath(new URL('../fixtures/diff/after-fsync_write-200.csv', import.meta.url));

interface DiffJson {
  readonly before: { calls: number };
  readonly after: { calls: number };
  readonly verdict: { before: string; after: string; changed: boolean };
  readonly regressions: number;
  readonly syscalls: Array<{
    name: string;
    status: string;
    waiting: boolean;
    regression: boolean;
    regressed: string[];
    count: { before: number | null; after: number | null };
    work: { basis: string; kind: string | null };
    perCall: string | null;
    latency: Record<string, { test: string; pValue: number | null; significant: string | null }>;
    tests: { data: string } | null;
  }>;
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
    expect(by.get('write')).toMatchObject({ status: 'both', regression: true, count: { before: 200, after: 200 }, work: { basis: 'calls', kind: 'same' } });
    // each 4 KiB write costs about 3x more once the file is fsynced after each
    expect(by.get('write')!.regressed).toEqual(['p50', 'mean', 'p99']);
    expect(by.get('write')!.latency['p50']).toMatchObject({ test: 'mann-whitney-u', significant: 'slower' });
    expect(by.get('write')!.latency['p50']!.pValue).toBeLessThan(1e-6);
    expect(by.get('write')!.tests!.data).toBe('calls');
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
    expect(r.stdout).toMatch(/\nwrite +200 → 200 +0% .* REGRESSION p50, mean \(Mann-Whitney p<0\.001\), p99 \(exceedance p<0\.001\)\n/);
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
    [['diff', '--alpha', '1.5', BEFORE, AFTER], /expected a probability between 0 and 1/, 2],
    [['diff', '--min-delta', '5', BEFORE, AFTER], /expected a duration with a unit/, 2],
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

  it('documents itself with examples and names its tests', async () => {
    const r = await runBuiltCli(['diff', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES\n  syscall-prof diff before.csv after.csv\n');
    expect(r.stdout).toContain('Mann-Whitney U test');
    expect(r.stdout).toContain('exceedance test');
    expect(r.stdout).toMatch(/--alpha <p>/);
    expect(r.stdout).toMatch(/--min-delta <duration>/);
  });
});

// Captures written by the repo's own writers: CSV and JSON lines of every call,
// and an spb aggregate capture (loader frames: histograms, no calls).
describe('diff on captures written by syscall-prof', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-diffsig-'));

  function writeEvents(name: string, format: CaptureFormat, events: readonly SyscallEvent[]): string {
    const path = join(dir, name);
    const w = createCaptureWriter(path, format, metaOf({ durationNs: null }));
    for (const batch of batchesOf(events)) w.write(batch);
    w.commit({ durationNs: 2e9, lostEvents: 0 });
    return path;
  }

  function writeAggregate(name: string, stats: Array<Record<string, unknown>>): string {
    const path = join(dir, name);
    const w = createCaptureWriter(path, 'spb', metaOf());
    w.writeRaw(encodeStream([headerFrame(), snapshotFrame({ final: true, syscalls: stats })]));
    w.commit({ durationNs: null, lostEvents: 0 });
    return path;
  }

  const scaled = (values: readonly number[], factor: number): number[] => values.map((v) => Math.round(v * factor));

  it('tells more work from slower calls and keeps waits apart (event captures)', async () => {
    // write: twice the calls, same cost; read: twice as slow; epoll_wait: longer waits
    const before = writeEvents('before.csv', 'csv', [
      ...callsOf('write', logNormal(400, 20_000, 0.3, 1)),
      ...callsOf('read', logNormal(300, 5_000, 0.3, 2)),
      ...callsOf('epoll_wait', logNormal(100, 1e6, 0.3, 3), { comm: 'poller', tid: 101 }),
    ]);
    const after = writeEvents('after.jsonl', 'jsonl', [
      ...callsOf('write', logNormal(800, 20_000, 0.3, 4)),
      ...callsOf('read', scaled(logNormal(300, 5_000, 0.3, 5), 2)),
      ...callsOf('epoll_wait', scaled(logNormal(100, 1e6, 0.3, 6), 4), { comm: 'poller', tid: 101 }),
    ]);
    const text = await runBuiltCli(['diff', before, after]);
    expect(text.stderr).toBe('');
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('Changes:      1 significant regression, 0 improvements');
    expect(text.stdout).toMatch(/\nwrite +400 → 800 +\+100% .* more work \(calls ×2\.0, per-call unchanged\)\n/);
    expect(text.stdout).toMatch(/\nread +300 → 300 +0% .* REGRESSION p50, mean \(Mann-Whitney p<0\.001\), p99 \(exceedance p=?[<\d.]+\)\n/);
    const waiting = text.stdout.split('Waiting syscalls')[1]!;
    expect(waiting).toMatch(/\nepoll_wait +100 → 100 .* longer waits: p50, mean \(Mann-Whitney p<0\.001\)/);

    const json = await runBuiltCli(['diff', '--json', before, after]);
    expect(json.exitCode).toBe(0);
    const j = JSON.parse(json.stdout) as DiffJson;
    const by = new Map(j.syscalls.map((s) => [s.name, s]));
    expect(by.get('write')).toMatchObject({ regression: false, perCall: 'unchanged', work: { basis: 'calls', kind: 'more' }, tests: { data: 'calls' } });
    expect(by.get('read')).toMatchObject({ regression: true, latency: { p50: { test: 'mann-whitney-u', significant: 'slower' } } });
    expect(by.get('read')!.latency['p50']!.pValue).toBeLessThan(0.01);
    expect(by.get('epoll_wait')).toMatchObject({ waiting: true, regression: false, latency: { p50: { significant: 'slower' } } });
    expect(j.regressions).toBe(1);
  });

  it('tests aggregate captures on their histogram buckets', async () => {
    const before = writeAggregate('before.spb', [statsOf(1, logNormal(600, 20_000, 0.3, 7)), statsOf(0, logNormal(600, 5_000, 0.3, 8))]);
    const after = writeAggregate('after.spb', [statsOf(1, logNormal(1200, 20_000, 0.3, 9)), statsOf(0, scaled(logNormal(600, 5_000, 0.3, 10), 2))]);
    const r = await runBuiltCli(['diff', '--json', before, after]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as DiffJson;
    const by = new Map(j.syscalls.map((s) => [s.name, s]));
    expect(by.get('write')).toMatchObject({ regression: false, perCall: 'unchanged', work: { kind: 'more' }, tests: { data: 'histogram' } });
    expect(by.get('read')).toMatchObject({ regression: true, regressed: ['p50', 'mean', 'p99'], tests: { data: 'histogram' } });
    const text = await runBuiltCli(['diff', before, after]);
    expect(text.stdout).toMatch(/\nread +600 → 600 .* REGRESSION p50, mean \(Mann-Whitney p<0\.001\)/);
    expect(text.stdout).toContain('~ percentiles estimated from in-kernel histograms');
  });
});
