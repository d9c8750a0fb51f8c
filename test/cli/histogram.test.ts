// `histogram` end to end through the built CLI on a CSV capture written here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { absentMessage } from '../../src/cli/histogram.js';
import type { CaptureMeta } from '../../src/core/model/events.js';
import { runBuiltCli } from '../helpers/cli.js';
import { analysisOf, callsOf, csvCapture, sampleEvents } from '../helpers/offline.js';

let csv: string;

beforeAll(() => {
  csv = join(mkdtempSync(join(tmpdir(), 'syscall-prof-histogram-')), 'f.csv');
  writeFileSync(csv, csvCapture(sampleEvents(), { durationNs: 10e9 }));
});

describe('histogram', () => {
  it('draws the default buckets at 80 columns and the bimodal line', async () => {
    const r = await runBuiltCli(['histogram', '--input', csv, '--syscall', 'read']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Latency Distribution (read): 50 calls');
    expect(lines[3]).toBe('   10-50 µs  ████████████████████████████████████████████████████████████  90.0%');
    expect(lines[3]!.length).toBe(80);
    expect(r.stdout).toContain('\nBimodal: 90% under 50 µs (cache), 10% at 5 ms (disk)\n');
    expect(r.stdout).toContain('\nmin 20.0 µs  p50 20.0 µs  p90 20.0 µs  p95 5.0 ms  p99 5.0 ms  max 5.0 ms\n');
  });

  it.each<[string, string, string[]]>([
    ['read', 'log2', ['  16.4-32.8 µs  █', '  32.8-65.5 µs   ', '   65.5-131 µs   ']],
    ['fsync', '1us,1ms,100ms', ['   < 1 µs   ', '1 µs-1 ms   ', ' 1-100 ms  █', ' > 100 ms   ']],
  ])('draws %s with --buckets %s', async (syscall, spec, starts) => {
    const r = await runBuiltCli(['histogram', '--input', csv, '--syscall', syscall, '--buckets', spec]);
    expect(r.exitCode).toBe(0);
    const bars = r.stdout.split('\n').slice(2, 2 + starts.length);
    expect(bars.map((l, i) => l.slice(0, starts[i]!.length))).toEqual(starts);
  });

  it('prints the documented JSON with --json', async () => {
    const r = await runBuiltCli(['histogram', '--input', csv, '--syscall', 'read', '--json', '--buckets', '50us']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ format: 'syscall-prof/histogram', version: 1, syscall: 'read', buckets: 'custom', count: 50, multimodal: true });
    expect(j.histogram).toEqual([
      { label: '< 50 µs', lowNs: null, highNs: 50_000, count: 45, share: 0.9 },
      { label: '> 50 µs', lowNs: 50_000, highNs: null, count: 5, share: 0.1 },
    ]);
  });

  it('exits 1 with one line when the capture has no calls of the syscall', async () => {
    const r = await runBuiltCli(['histogram', '--input', csv, '--syscall', 'write']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`syscall-prof: no calls of write in ${csv} (its top syscalls: epoll_wait, fsync, read, openat)\n`);
  });

  it.each<[string[], RegExp]>([
    [['--syscall', 'fsynk'], /^syscall-prof: unknown syscall 'fsynk' \(did you mean fsync\?\)\n$/],
    [['--syscall', 'read', '--buckets', '1ms,10us'], /^syscall-prof: --buckets: '10us' is below the edge before it \('1ms'\); edges must increase\n$/],
    [['--syscall', 'read', '--buckets', '10us,10us'], /^syscall-prof: --buckets: '10us' repeats the edge before it\n$/],
    [['--syscall', 'read', '--buckets', '0ms'], /^syscall-prof: --buckets: '0ms' is not a positive duration/],
    [[], /^syscall-prof: histogram needs either --syscall or --io-uring-op \(one of them\)\n$/],
    [['--syscall', 'read', '--io-uring-op', 'read'], /^syscall-prof: histogram needs either --syscall or --io-uring-op \(one of them\)\n$/],
    [['--io-uring-op', 'reed'], /^syscall-prof: unknown io_uring opcode 'reed' \(one of: nop, readv, writev, fsync, /],
  ])('rejects %j with exit 2', async (args, message) => {
    const r = await runBuiltCli(['histogram', '--input', csv, ...args]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('documents itself with examples', async () => {
    const r = await runBuiltCli(['histogram', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES\n  syscall-prof histogram --input trace.csv --syscall read\n');
  });
});

describe('histogram --io-uring-op', () => {
  it('says a CSV capture carries no io_uring requests, exit 1', async () => {
    const r = await runBuiltCli(['histogram', '--input', csv, '--io-uring-op', 'read']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`syscall-prof: no io_uring requests in ${csv}: only captures of the eBPF backend carry them (spb, or CSV and JSON lines written by trace --output)\n`);
  });
});

describe('absentMessage', () => {
  it.each<[string, Partial<CaptureMeta['filters']>, string[], string]>([
    ['top syscalls', {}, ['read', 'write'], 'no calls of fsync in f.csv (its top syscalls: read, write)'],
    ['empty capture', {}, [], 'no calls of fsync in f.csv (it has no calls at all)'],
    ['filtered out by name', { syscalls: ['read'] }, ['read'], 'no calls of fsync in f.csv (it recorded only read)'],
    ['recorded by name', { syscalls: ['fsync'] }, [], 'no calls of fsync in f.csv (it has no calls at all)'],
    [
      'maybe none slow enough, or none failed',
      { minDurationNs: 1e6, failedOnly: true },
      ['read'],
      'no calls of fsync in f.csv (its top syscalls: read; it kept only calls of 1.0 ms or more and failed calls)',
    ],
  ])('%s', async (_name, filters, present, message) => {
    const analysis = await analysisOf(
      present.flatMap((n) => callsOf(n, [10])),
      { filters: { syscalls: null, minDurationNs: 0, failedOnly: false, ...filters } },
    );
    expect(absentMessage('fsync', 'f.csv', analysis)).toBe(message);
  });
});
