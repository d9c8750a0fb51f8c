import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/core/analysis/capture.js';
import { reportModel, THREADS_SHOWN } from '../../../src/core/analysis/report-model.js';
import { analysisOf, callsOf, sourceOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { call, openat, pread, times } from './events.js';

describe('reportModel', () => {
  it('keeps --top rows, and distributions of the 3 syscalls with most time', async () => {
    // fsync's 9 ms are 18% of the 50 ms thread: the bottleneck
    const a = await analysisOf([...callsOf('fsync', [9_000_000]), ...callsOf('read', [5_000, 20_000]), ...callsOf('write', [3_000]), ...callsOf('close', [100])], { durationNs: 50e6 });
    const m = reportModel(a, 2);
    expect(m.rows.map((r) => r.name)).toEqual(['fsync', 'read']);
    expect(m.omitted).toBe(2);
    expect(m.distributions.map((d) => d.syscall)).toEqual(['fsync', 'read', 'write']);
    expect(m.distributions[1]!.table.buckets.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0]);
    expect(m.distributions[1]).toMatchObject({ category: 'disk-read', modeLabels: [null] });
    expect(m.distributions[1]!.modes.modes).toHaveLength(1);
    expect(m.categories[0]).toMatchObject({ category: 'sync', label: 'Disk sync', bottleneck: true, cpu: null });
  });

  it('has the summary, verdict, findings, I/O patterns, hot files, threads and processes', async () => {
    const events = [
      openat('/data/table', 3, 0, { durationNs: 10_000 }),
      ...times(200, (i) => pread(3, ((i * 37) % 200) * 40960, 4096, { path: '/data/table', durationNs: 100_000 })),
      ...callsOf('fsync', Array<number>(10).fill(30e6), { path: '/data/table', pid: 100, tid: 101, comm: 'flusher' }),
      ...callsOf('epoll_wait', [100e6], { pid: 200, tid: 200, comm: 'poller' }),
    ];
    const m = reportModel(await analysisOf(events, { durationNs: 1e9, cpuNs: 0.1e9, threadNs: 2.5e9, threadCount: 4 }), null);
    expect(m.summary).toMatchObject({ source: 'events', calls: 212, durationNs: 1e9, syscallNs: 10_000 + 200 * 100_000 + 300e6 + 100e6, processes: 2, threads: 3, cpuNs: 0.1e9, threadNs: 2.5e9, threadCount: 4, perCallFacts: true });
    // 2.5 s of thread time: 0.1 s on the CPU, 0.32 s in I/O, 0.1 s waiting, the rest unaccounted for: I/O is 76% of the known work
    expect(m.verdict).toMatchObject({ kind: 'io-bound', capacityNs: 2.5e9, capacityMeasured: true, threads: 4 });
    expect(m.findings.map((f) => f.rule)).toEqual(['sync-dominant', 'random-reads']);
    expect(m.ioPatterns!.files).toHaveLength(1);
    expect(m.ioPatterns!.files[0]).toMatchObject({ path: '/data/table', ops: 200, pattern: 'random' });
    expect(m.ioPatterns).toMatchObject({ omitted: 0, other: null, folded: 0, foldedAtLeast: false });
    expect(m.hotFiles).toEqual([
      {
        path: '/data/table',
        totalNs: 300e6 + 200 * 100_000 + 10_000,
        readNs: 200 * 100_000,
        writeNs: 0,
        syncNs: 300e6,
        metadataNs: 10_000,
        reads: 200,
        writes: 0,
        bytesRead: 200 * 4096,
        bytesWritten: 0,
        opens: 1,
        syncs: 10,
      },
    ]);
    expect(m.threads.rows.map((t) => [t.pid, t.tid, t.comm])).toEqual([
      [100, 101, 'flusher'],
      [200, 200, 'poller'],
      [100, 100, 'app'],
    ]);
    expect(m.processes.rows.map((p) => p.pid)).toEqual([100, 200]);
  });

  it('keeps the top threads and counts the rest', async () => {
    const events = times(THREADS_SHOWN + 3, (i) => call('getpid', [], 1, { tid: 1000 + i, durationNs: 1000 + i }));
    const m = reportModel(await analysisOf(events), null);
    expect(m.threads.rows).toHaveLength(THREADS_SHOWN);
    expect(m.threads.omitted).toBe(3);
    expect(m.threads.rows[0]!.tid).toBe(1000 + THREADS_SHOWN + 2);
  });

  it('splits time on and off the CPU when the capture has it', async () => {
    const events = callsOf('fsync', [2.1e9], { offCpuNs: 2.0e9, runqNs: 0.1e9 });
    const m = reportModel(await analysisOf(events, { durationNs: 3e9 }), null);
    expect(m.cpuSplits).toEqual([
      { name: 'fsync', totalNs: 2.1e9, offCpuNs: 2.0e9, blockedNs: 1.9e9, runqNs: 0.1e9, onCpuNs: 0.1e9, },
    ]);
    expect(m.categories[0]!.cpu).toMatchObject({ name: 'disk sync', offCpuNs: 2.0e9, runqNs: 0.1e9 });
  });

  it('has no file tables for an aggregate-only capture', async () => {
    const profile = profileOf({ durationNs: 1e9, syscalls: [statsOf('fsync', 74, [1e6])] });
    const m = reportModel(await analyzeCapture(sourceOf([], { meta: { durationNs: null }, profile })), null);
    expect(m.summary).toMatchObject({ source: 'profile', perCallFacts: false });
    expect(m.ioPatterns).toBeNull();
    expect(m.hotFiles).toEqual([]);
    expect(m.cpuSplits).toEqual([]);
  });

  it('is empty for an empty capture', async () => {
    const m = reportModel(await analysisOf([], { durationNs: null }), null);
    expect(m).toMatchObject({ rows: [], omitted: 0, categories: [], findings: [], distributions: [], cpuSplits: [], hotFiles: [] });
    expect(m.ioPatterns).toEqual({ files: [], omitted: 0, other: null, folded: 0, foldedAtLeast: false });
    expect(m.threads).toEqual({ rows: [], omitted: 0 });
    expect(m.verdict.kind).toBe('unknown');
    expect(m.summary).toMatchObject({ calls: 0, syscallNs: 0, durationNs: null, processes: 0, threads: 0 });
  });
});
