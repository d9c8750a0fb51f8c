import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/core/analysis/capture.js';
import { renderAnalyze } from '../../../src/presentation/render/analyze-text.js';
import { palette } from '../../../src/presentation/render/color.js';
import { analysisOf, callsOf, sampleEvents, sourceOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const plain = palette(false);

describe('renderAnalyze', () => {
  it('prints the facts, the table by total time with errno names, and the processes', async () => {
    const analysis = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    expect(renderAnalyze({ input: 'f.csv', analysis, top: 3 }, plain)).toBe(
      [
        'Syscall Analysis',
        '════════════════════════════════════════════════════',
        'Input:          f.csv (ebpf, x86_64)',
        'Target:         command: ./app',
        'Processes:      2: poller (PID 200), app (PID 100)',
        'Duration:       10.0 s',
        'Total syscalls: 60 (3 errors), 6/s',
        '',
        'Syscall Summary:',
        '────────────────────────────────────────────────────',
        'Syscall     Count  Errors    Total      Avg      p50      p90      p95      p99      Max',
        'epoll_wait      2       0    2.0 s    1.0 s    1.0 s    1.0 s    1.0 s    1.0 s    1.0 s',
        'fsync           4       0   100 ms  25.0 ms  20.0 ms  40.0 ms  40.0 ms  40.0 ms  40.0 ms',
        'read           50       0  25.9 ms   518 µs  20.0 µs  20.0 µs   5.0 ms   5.0 ms   5.0 ms',
        '... and 1 more syscalls (see --top)',
        '',
        'Time by Category:',
        '────────────────────────────────────────────────────',
        'Category                Calls     Time  % of Total',
        'Disk sync (fsync)           4   100 ms       79.3%',
        'Disk read (read)           50  25.9 ms       20.5%',
        'File metadata (openat)      4   200 µs        0.2%',
        'Waiting (epoll_wait)        2    2.0 s     waiting',
        '% of Total is over the time not spent waiting (epoll_wait, futex, sleeps... shown apart)',
        '',
        'Processes:',
        '────────────────────────────────────────────────────',
        'PID  Command  Calls  Errors   Total',
        '200  poller       2       0   2.0 s',
        '100  app         58       3  126 ms',
        '',
      ].join('\n'),
    );
  });

  it('shows the errno names of failed calls', async () => {
    const analysis = await analysisOf([...callsOf('openat', [5, 5, 5], { ret: -2 }), ...callsOf('openat', [5], { ret: -13 })]);
    expect(renderAnalyze({ input: 'f.csv', analysis, top: null }, plain)).toContain('openat       4  3 ENOENT, 1 EACCES  20 ns');
  });

  it('marks estimated percentiles of an aggregate capture and says why', async () => {
    const profile = profileOf({ syscalls: [statsOf('read', 0, [1000, 2000, 3000])] });
    const analysis = await analyzeCapture(sourceOf([], { meta: { durationNs: null }, profile }));
    const text = renderAnalyze({ input: 'agg.spb', analysis, top: null }, plain);
    expect(text).toContain('Source:         in-kernel histograms (no per-call events): percentiles are estimates');
    expect(text).toMatch(/^read\s+3\s+0\s+6\.0 µs\s+2\.0 µs\s+~\S+ µs\s+~\S+ µs\s+~\S+ µs\s+~\S+ µs\s+3\.0 µs$/m);
    expect(text).toContain('~ estimated from in-kernel histograms (no per-call events), within 12.5% of the true value');
  });

  it('warns about lost events and states the filters in force', async () => {
    const analysis = await analysisOf(callsOf('read', [5]), { lostEvents: 12, filters: { syscalls: ['read', 'write'], minDurationNs: 1e6, failedOnly: true } });
    const text = renderAnalyze({ input: 'f.csv', analysis, top: null }, plain);
    expect(text).toContain('Filters:        only read, write; only calls of 1.0 ms or more; only failed calls\n');
    expect(text).toContain('! 12 calls were lost by the kernel (buffer full) and are not in these numbers\n');
  });

  it('says so for an empty capture of unknown duration', async () => {
    const analysis = await analysisOf([], { durationNs: null });
    expect(renderAnalyze({ input: 'empty.csv', analysis, top: 5 }, plain)).toBe(
      [
        'Syscall Analysis',
        '════════════════════════════════════════════════════',
        'Input:          empty.csv (ebpf, x86_64)',
        'Target:         command: ./app',
        'Duration:       unknown',
        'Total syscalls: 0',
        '',
        'Syscall Summary:',
        '────────────────────────────────────────────────────',
        'No syscalls in this capture.',
        '',
      ].join('\n'),
    );
  });

  it('paints errors and titles when colours are on', async () => {
    const analysis = await analysisOf(callsOf('openat', [5], { ret: -2 }));
    const text = renderAnalyze({ input: 'f.csv', analysis, top: null }, palette(true));
    expect(text).toContain('\u001b[1mSyscall Analysis\u001b[22m');
    expect(text).toContain('\u001b[31m1 ENOENT\u001b[39m');
  });
});
