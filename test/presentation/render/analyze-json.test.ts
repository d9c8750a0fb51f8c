import { describe, expect, it } from 'vitest';
import { analyzeJson, renderAnalyzeJson } from '../../../src/presentation/render/analyze-json.js';
import { analysisOf, sampleEvents } from '../../helpers/offline.js';

describe('analyzeJson', () => {
  it('has the documented shape, rows cut by --top, integer latencies', async () => {
    const analysis = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    const j = analyzeJson('f.csv', analysis, 2);
    expect(Object.keys(j)).toEqual(['format', 'version', 'input', 'capture', 'source', 'durationNs', 'totals', 'syscalls', 'omittedSyscalls', 'processes', 'threads', 'categories', 'cpuSplits', 'cpuSummary', 'ioUring']);
    // sampleEvents() carry no off-CPU times
    expect(j['cpuSplits']).toEqual([]);
    expect(j['cpuSummary']).toBeNull();
    expect(j).toMatchObject({
      format: 'syscall-prof/analyze',
      version: 1,
      input: 'f.csv',
      capture: { backend: 'ebpf', arch: 'x86_64', target: 'command: ./app', durationNs: 10e9, lostEvents: 0 },
      source: 'events',
      durationNs: 10e9,
      totals: { calls: 60, errors: 3, totalNs: 2_126_100_000, distinctSyscalls: 4, callsPerSecond: 6 },
      omittedSyscalls: 2,
    });
    expect(j['syscalls']).toEqual([
      {
        name: 'epoll_wait',
        count: 2,
        errors: 0,
        errnos: [],
        totalNs: 2e9,
        avgNs: 1e9,
        minNs: 1e9,
        p50Ns: 1e9,
        p90Ns: 1e9,
        p95Ns: 1e9,
        p99Ns: 1e9,
        maxNs: 1e9,
        estimated: false,
        percentileError: 1 / 2048,
      },
      expect.objectContaining({ name: 'fsync', count: 4, avgNs: 25e6, minNs: 10e6, p90Ns: 40e6, maxNs: 40e6 }),
    ]);
    for (const row of j['syscalls'] as Array<Record<string, number>>) expect(Number.isInteger(row['p50Ns'])).toBe(true);
    expect(j['processes']).toEqual([
      { pid: 200, comm: 'poller', calls: 2, errors: 0, totalNs: 2e9 },
      { pid: 100, comm: 'app', calls: 58, errors: 3, totalNs: 126_100_000 },
    ]);
    expect((j['threads'] as unknown[]).length).toBe(2);
    expect((j['categories'] as Array<Record<string, unknown>>).map((c) => [c['category'], c['label'], c['bottleneck']])).toEqual([
      // fsync's 100 ms are 0.5% of 2 threads x 10 s: no bottleneck
      ['sync', 'Disk sync', false],
      ['disk-read', 'Disk read', false],
      ['metadata', 'File metadata', false],
      ['wait', 'Waiting', false],
    ]);
  });

  it('is valid JSON ending with a newline, also for an empty capture', async () => {
    const text = renderAnalyzeJson('e.csv', await analysisOf([], { durationNs: null }), null);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({
      durationNs: null,
      totals: { calls: 0, errors: 0, totalNs: 0, distinctSyscalls: 0, callsPerSecond: null },
      syscalls: [],
      omittedSyscalls: 0,
      processes: [],
      threads: [],
      categories: [],
    });
  });
});
