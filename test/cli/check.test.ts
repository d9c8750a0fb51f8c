// `check` end to end through the built CLI, on captures written by the repo's own
// writers: CSV and JSON lines of every call, spb aggregate captures (histograms).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaptureWriter } from '../../src/core/capture/writer.js';
import type { CaptureFormat } from '../../src/core/capture/format.js';
import { batchesOf, type SyscallEvent } from '../../src/core/model/events.js';
import { runBuiltCli } from '../helpers/cli.js';
import { callsOf, logNormal, metaOf } from '../helpers/offline.js';
import { parseXml } from '../helpers/xml.js';
import { encodeStream, headerFrame, snapshotFrame, statsOf } from '../helpers/frames.js';

describe('check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-check-'));

  function write(name: string, format: CaptureFormat, events: readonly SyscallEvent[]): string {
    const path = join(dir, name);
    const w = createCaptureWriter(path, format, metaOf({ durationNs: null }));
    for (const batch of batchesOf(events)) w.write(batch);
    w.commit({ durationNs: 2e9, lostEvents: 0 });
    return path;
  }

  // an spb aggregate capture: the in-kernel histograms of reads (nr 0 on x86_64), no calls
  function writeReadHistogram(name: string, latencies: readonly number[]): string {
    const path = join(dir, name);
    const w = createCaptureWriter(path, 'spb', metaOf());
    w.writeRaw(encodeStream([headerFrame(), snapshotFrame({ final: true, syscalls: [statsOf(0, latencies)] })]));
    w.commit({ durationNs: null, lostEvents: 0 });
    return path;
  }

  const scaled = (values: readonly number[], factor: number): number[] => values.map((v) => Math.round(v * factor));
  const reads = (seed: number, factor = 1): SyscallEvent[] => callsOf('read', scaled(logNormal(300, 20_000, 0.3, seed), factor));

  it('passes a capture like its baselines (exit 0) and writes JUnit XML atomically', async () => {
    const b1 = writeReadHistogram('base1.spb', logNormal(300, 20_000, 0.3, 1));
    const b2 = write('base2.csv', 'csv', reads(2));
    const current = write('same.jsonl', 'jsonl', reads(3));
    const junit = join(dir, 'ok.xml');
    const r = await runBuiltCli(['check', '--baseline', b1, '--baseline', b2, current, '--junit', junit]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\nread +600 +300 .* PASS /);
    expect(r.stdout).toContain('1 passed: OK');
    const suite = parseXml(readFileSync(junit, 'utf8')).children[0]!;
    expect(suite.attrs).toMatchObject({ name: 'syscall-prof check', tests: '1', failures: '0', skipped: '0' });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('fails on a regression (exit 1), in JSON and JUnit', async () => {
    const base = write('base.jsonl', 'jsonl', reads(4));
    const current = writeReadHistogram('slow.spb', scaled(logNormal(300, 20_000, 0.3, 5), 2));
    const junit = join(dir, 'fail.xml');
    writeFileSync(junit, 'an older report');
    const r = await runBuiltCli(['check', '--json', '--baseline', base, '--junit', junit, current]);
    expect(r.exitCode).toBe(1);
    const j = JSON.parse(r.stdout) as { format: string; version: number; exitCode: number; syscalls: Array<{ name: string; verdict: string }> };
    expect(j).toMatchObject({ format: 'syscall-prof/check', version: 1, exitCode: 1 });
    expect(j.syscalls).toMatchObject([{ name: 'read', verdict: 'regressed' }]);
    const suite = parseXml(readFileSync(junit, 'utf8')).children[0]!;
    expect(suite.attrs).toMatchObject({ tests: '1', failures: '1' });
    expect(suite.children.find((c) => c.name === 'testcase')!.children[0]!.name).toBe('failure');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('allows a regression within --max-p50-regression and --max-p99-regression', async () => {
    const base = write('base-t.csv', 'csv', reads(6));
    const current = write('slow-t.csv', 'csv', reads(7, 2));
    const r = await runBuiltCli(['check', '--baseline', base, '--max-p50-regression', '300%', '--max-p99-regression', '300', current]);
    expect(r.exitCode).toBe(0);
  });

  it('cannot decide on too few calls (exit 3)', async () => {
    const base = write('few-base.csv', 'csv', callsOf('read', [1000, 1100, 1200, 1300, 1400]));
    const current = write('few.csv', 'csv', callsOf('read', [9000, 9100, 9200, 9300, 9400]));
    const junit = join(dir, 'few.xml');
    const r = await runBuiltCli(['check', '--baseline', base, current, '--junit', junit]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/\nread +5 +5 .* INDETERMINATE/);
    const suite = parseXml(readFileSync(junit, 'utf8')).children[0]!;
    expect(suite.attrs).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
  });

  it('rejects a missing baseline (exit 2) and names the bad line of an input (exit 65)', async () => {
    const current = write('cur.csv', 'csv', reads(8));
    const r = await runBuiltCli(['check', current]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--baseline');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, readFileSync(current, 'utf8').replace(/\n(\d+),/, '\nnot-a-time,'));
    const r2 = await runBuiltCli(['check', '--baseline', bad, current]);
    expect(r2.exitCode).toBe(65);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    expect(r2.stderr).toContain('bad.csv');
    expect(r2.stderr).toMatch(/line \d+/);
  });

  it('has help with examples', async () => {
    const r = await runBuiltCli(['check', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES\n  syscall-prof check --baseline base.spb current.spb\n');
    expect(r.stdout).toMatch(/--max-p99-regression <pct>/);
    expect(r.stdout).toMatch(/--junit <file>/);
  });
});
