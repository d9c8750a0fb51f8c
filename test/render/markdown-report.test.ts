import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportModel } from '../../src/analysis/report-model.js';
import { renderMarkdownReport } from '../../src/render/markdown-report.js';
import { analysisOf, callsOf, sampleEvents } from '../helpers/offline.js';

// The report of sampleEvents() over 10 s, checked by eye once and kept.
const GOLDEN = new URL('../fixtures/offline/sample-report.md', import.meta.url);

describe('renderMarkdownReport', () => {
  it('renders the known capture exactly as the reviewed report', async () => {
    const a = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    expect(renderMarkdownReport('f.csv', a, reportModel(a, null))).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('has every section, in order', async () => {
    const a = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    const md = renderMarkdownReport('f.csv', a, reportModel(a, 2));
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Syscall Profiling Report',
      '## Syscall Summary',
      '## I/O Pattern Analysis',
      '## Critical Findings',
      '### 1. fsync() dominates latency (79% of non-waiting time)',
      '### 2. read() shows a bimodal distribution',
      '## Latency Distributions',
      '### epoll_wait',
      '### fsync',
      '### read',
    ]);
    expect(md).toContain('\n... and 2 more syscalls (see --top).\n');
    expect(md).toContain('| Disk sync (fsync) | 4 | 100 ms | 79.3% | ← **BOTTLENECK** |');
    expect(md).toContain('| Waiting (epoll_wait) | 2 | 2.0 s | N/A (waiting, not working) |  |');
  });

  it('shows a tiny but non-zero share as <0.1%', async () => {
    const a = await analysisOf([...callsOf('fsync', [10_000_000]), ...callsOf('brk', [100])]);
    expect(renderMarkdownReport('f.csv', a, reportModel(a, null))).toContain('| Memory (brk) | 1 | 100 ns | <0.1% |  |');
  });

  it('says when nothing stands out', async () => {
    const a = await analysisOf([...callsOf('read', [100]), ...callsOf('write', [100]), ...callsOf('close', [100]), ...callsOf('openat', [100])]);
    expect(renderMarkdownReport('f.csv', a, reportModel(a, null))).toContain(
      '## Critical Findings\n\nNothing stands out: no syscall dominates, no latency clusters, no frequent failures.\n',
    );
  });

  it('stops after the summary for an empty capture', async () => {
    const a = await analysisOf([], { durationNs: 0 });
    expect(renderMarkdownReport('empty.csv', a, reportModel(a, null))).toBe(
      [
        '# Syscall Profiling Report',
        '',
        '- **Input:** empty.csv (ebpf, x86_64)',
        '- **Target:** command: ./app',
        '- **Duration:** 0 ns',
        '- **Total syscalls:** 0',
        '',
        '## Syscall Summary',
        '',
        'No syscalls in this capture.',
        '',
      ].join('\n'),
    );
  });

  it('escapes Markdown in free text', async () => {
    const a = await analysisOf(callsOf('read', [5]), { target: 'command: sh -c "ls *.c | <x>"' });
    expect(renderMarkdownReport('f.csv', a, reportModel(a, null))).toContain('- **Target:** command: sh -c "ls \\*.c | \\<x\\>"');
  });
});
