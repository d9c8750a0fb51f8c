// `analyze` end to end through the built CLI, on CSV captures written here and
// the recorded aggregate-only loader capture.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { CSV_HEADER } from '../../src/core/capture/csv-schema.js';
import { csvCapture, eventOf, sampleEvents } from '../helpers/offline.js';

const SPB = fileURLToPath(new URL('../fixtures/loader/fsync_write-200.spb', import.meta.url));
const REAL_CSV = fileURLToPath(new URL('../fixtures/offline/fsync_write-200.csv', import.meta.url));
let dir: string;
let csv: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'syscall-prof-analyze-'));
  csv = join(dir, 'f.csv');
  writeFileSync(csv, csvCapture(sampleEvents(), { durationNs: 10e9 }));
});

describe('analyze --folded and --pprof', () => {
  // a capture of trace --stacks (no sidecar): two rows with stacks (one with a C++ frame holding a comma), one without
  function stackCsv(): string {
    const path = join(dir, 'stacks.csv');
    const row = (ts: string, syscall: string, ns: number, stack: string): string => `${ts},7,7,db,${syscall},${ns},0,,0x3,0x0,0x0,0x0,0x0,0x0,,,,/data,${stack}`;
    writeFileSync(
      path,
      [
        CSV_HEADER,
        row('1735787045000001000', 'fsync', 3000000, 'main;ledger_run;ledger_durable_commit;fsync'),
        row('1735787045000002000', 'read', 500, ''),
        row('1735787045000003000', 'write', 2000000, '"main;Db::put(int, char);write"'),
        '',
      ].join('\n'),
    );
    return path;
  }

  it('prints folded stacks valued by slow time or calls, the syscall as the leaf', async () => {
    const path = stackCsv();
    const r = await runBuiltCli(['analyze', '--input', path, '--folded']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('main;ledger_run;ledger_durable_commit;fsync;sys_fsync 3000000\nmain;Db::put(int, char);write;sys_write 2000000\n');
    const calls = await runBuiltCli(['analyze', '--input', path, '--folded', '--folded-value', 'calls']);
    expect(calls.stdout.trim().split('\n').map((l) => l.split(' ').at(-1))).toEqual(['1', '1']);
  });

  it('writes a gzipped pprof profile', async () => {
    const out = join(dir, 'p.pb.gz');
    const r = await runBuiltCli(['analyze', '--input', stackCsv(), '--pprof', out]);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it.each([
    ['a capture without stacks', () => ['analyze', '--input', csv, '--folded'], 65, /the capture has no stacks \(record it with trace --stacks\)/],
    ['--folded-value without --folded', () => ['analyze', '--input', csv, '--folded-value', 'calls'], 2, /--folded-value needs --folded/],
    ['--folded with --json', () => ['analyze', '--input', csv, '--folded', '--json'], 2, /--folded cannot be combined/],
  ])('refuses %s in one line', async (_name, args, code, message) => {
    const r = await runBuiltCli(args());
    expect(r.exitCode).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('analyze', () => {
  it('prints the table by total time, exact percentiles, errno names', async () => {
    const r = await runBuiltCli(['analyze', '--input', csv, '--top', '3']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Total syscalls: 60 (3 errors), 6/s\n');
    expect(r.stdout).toContain(
      [
        'Syscall     Count  Errors    Total      Avg      p50      p90      p95      p99      Max',
        'epoll_wait      2       0    2.0 s    1.0 s    1.0 s    1.0 s    1.0 s    1.0 s    1.0 s',
        'fsync           4       0   100 ms  25.0 ms  20.0 ms  40.0 ms  40.0 ms  40.0 ms  40.0 ms',
        'read           50       0  25.9 ms   518 µs  20.0 µs  20.0 µs   5.0 ms   5.0 ms   5.0 ms',
        '... and 1 more syscalls (see --top)',
      ].join('\n'),
    );
    const all = await runBuiltCli(['analyze', '--input', csv]);
    expect(all.stdout).toMatch(/^openat\s+4\s+3 ENOENT\s+200 µs/m);
  });

  it('prints the documented JSON with --json', async () => {
    const r = await runBuiltCli(['analyze', '--input', csv, '--json', '--top', '1']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ format: 'syscall-prof/analyze', version: 1, source: 'events', durationNs: 10e9, omittedSyscalls: 3 });
    expect(j.syscalls).toEqual([expect.objectContaining({ name: 'epoll_wait', count: 2, p99Ns: 1e9, estimated: false })]);
    expect(j.totals).toEqual({ calls: 60, errors: 3, totalNs: 2_126_100_000, distinctSyscalls: 4, callsPerSecond: 6 });
  });

  it('gives exact nearest-rank percentiles of a real capture (to 1/2048)', async () => {
    const durations = new Map<string, number[]>();
    for (const line of readFileSync(REAL_CSV, 'utf8').split('\n')) {
      const f = line.split(',');
      if (line.startsWith('#') || f[0] === 'timestamp_ns' || f.length < 6) continue;
      durations.set(f[4]!, [...(durations.get(f[4]!) ?? []), Number(f[5])]);
    }
    const r = await runBuiltCli(['analyze', '--input', REAL_CSV, '--json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.totals.calls).toBe(432);
    expect(j.syscalls[0]).toMatchObject({ name: 'fsync', count: 200, errors: 0, estimated: false });
    expect(j.categories[0]).toMatchObject({ category: 'sync', bottleneck: true });
    for (const row of j.syscalls as Array<Record<string, number | string>>) {
      const sorted = [...durations.get(row['name'] as string)!].sort((a, b) => a - b);
      expect(row['count']).toBe(sorted.length);
      expect(row['minNs']).toBe(sorted[0]);
      expect(row['maxNs']).toBe(sorted[sorted.length - 1]);
      for (const [key, q] of [['p50Ns', 0.5], ['p90Ns', 0.9], ['p95Ns', 0.95], ['p99Ns', 0.99]] as const) {
        const exact = sorted[Math.max(1, Math.ceil(Number((q * sorted.length).toPrecision(12)))) - 1]!;
        expect(Math.abs((row[key] as number) - exact)).toBeLessThanOrEqual(exact / 2048 + 0.5);
      }
    }
  });

  it('reads an aggregate-only spb capture with estimated percentiles', async () => {
    const r = await runBuiltCli(['analyze', '--input', SPB, '--top', '2']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^fsync\s+200\s+0\s+24\.2 ms\s+121 µs\s+~/m);
    expect(r.stdout).toContain('~ estimated from in-kernel histograms (no per-call events), within 12.5% of the true value');
  });

  it('skips bad rows with --skip-bad and says so on stderr', async () => {
    const text = csvCapture([eventOf({ durationNs: 100 }), eventOf({ durationNs: 300 })]).replace(/\n(\d+),100,100,app,read,300,/, '\n$1,100,100,app,read,abc,');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, text);
    const strict = await runBuiltCli(['analyze', '--input', bad]);
    expect(strict.exitCode).toBe(65);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/^syscall-prof: .*bad\.csv: .*line 9.*\n$/);
    const lenient = await runBuiltCli(['analyze', '--input', bad, '--skip-bad']);
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toMatch(/^read\s+1\s+0\s+100 ns/m);
    expect(lenient.stderr).toMatch(/^syscall-prof: skipped 1 bad row \(first at line 9: .*\)\n$/);
  });

  it('takes the format from --format when the name does not say', async () => {
    const odd = join(dir, 'capture.data');
    writeFileSync(odd, csvCapture([eventOf()]));
    expect((await runBuiltCli(['analyze', '--input', odd, '--format', 'csv'])).exitCode).toBe(0);
  });

  it('prints an empty table for a capture without calls', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, csvCapture([], { durationNs: 0 }));
    const r = await runBuiltCli(['analyze', '--input', empty]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Total syscalls: 0\n');
    expect(r.stdout).toContain('No syscalls in this capture.\n');
  });

  it.each<[string[], number, RegExp]>([
    [['analyze'], 2, /required option '-i, --input <file>' not specified/],
    [['analyze', '--input', '/nonexistent/x.csv'], 65, /^syscall-prof: \/nonexistent\/x\.csv: cannot open: no such file\n$/],
    [['analyze', '--input', 'x.csv', '--top', '0'], 2, /argument '0' is invalid/],
    [['analyze', '--input', 'x.csv', '--format', 'xml'], 2, /Allowed choices are csv, jsonl, spb/],
  ])('%j exits %s', async (args, code, message) => {
    const r = await runBuiltCli(args);
    expect(r.exitCode).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('documents itself with examples', async () => {
    const r = await runBuiltCli(['analyze', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES\n  syscall-prof analyze --input trace.csv\n');
  });
});
