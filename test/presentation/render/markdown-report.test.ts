import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finding, type FindingRule } from '../../../src/core/analysis/findings.js';
import type { SyncDominantFinding } from '../../../src/core/analysis/rules/sync-dominant.js';
import { reportModel } from '../../../src/core/analysis/report-model.js';
import { NO_CHARTS_NOTE, renderMarkdownReport } from '../../../src/presentation/render/markdown-report.js';
import { analysisOf, callsOf, sampleEvents } from '../../helpers/offline.js';

// The report of sampleEvents() over 10 s with the two findings of TEST_RULES,
// checked by eye once and kept. The renderer is tested with fixed findings: the
// real rules' thresholds are test/core/analysis/rules' business, their words
// test/presentation/render/findings'.
const GOLDEN = new URL('../../fixtures/offline/sample-report.md', import.meta.url);

// Two findings of every severity-relevant shape: a saving with evidence, why and
// recommendations (a sync-dominant with fixed numbers), and one with no saving
// and nothing but a title (a rule without words: its id, here one to escape).
const TEST_RULES: readonly FindingRule[] = [
  {
    id: 'test',
    generic: false,
    run: (ctx) => [
      finding<SyncDominantFinding>(ctx, {
        rule: 'sync-dominant',
        syscall: 'fsync',
        subject: { syscalls: ['fsync'] },
        metrics: { calls: 4, totalNs: 100e6, share: 0.793, wallShare: 0.01, writes: 0, batch: 4 },
        savingNs: 2e9,
      }),
      finding(ctx, { rule: 'read() <b> is *bimodal*', syscall: null, subject: {}, metrics: {}, savingNs: 0 }),
    ],
  },
];

describe('renderMarkdownReport', () => {
  it('renders the known capture exactly as the reviewed report', async () => {
    const a = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    expect(renderMarkdownReport('f.csv', a, reportModel(a, null, TEST_RULES))).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('has every section, in order', async () => {
    const a = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    const md = renderMarkdownReport('f.csv', a, reportModel(a, 2, TEST_RULES));
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Syscall Profiling Report',
      '## Verdict',
      '## Syscall Summary',
      '## Time by Category',
      '## Critical Findings',
      '### 1. fsync() dominates: 79.3% of non-waiting syscall time',
      '### 2. read() \\<b\\> is \\*bimodal\\*',
      '## Latency Distributions',
      '### epoll_wait',
      '### fsync',
      '### read',
      '## I/O Patterns by File',
      '## Hot Files',
      '## Connections',
      '## Threads',
      '## What These Syscalls Do',
    ]);
    expect(md).toContain('\n... and 2 more syscalls (see --top).\n');
    // fsync's 100 ms are 0.5% of 2 threads x 10 s: time by category, but no bottleneck
    expect(md).toContain('| Disk sync (fsync) | 4 | 100 ms | 79.3% |  |');
    expect(md).toContain('| Waiting (epoll_wait) | 2 | 2.0 s | N/A (waiting, not working) |  |');
    expect(md).toContain('**CRITICAL** · estimated saving: ~2.0 s (10% of thread time)');
    expect(md).toContain('**INFO** · estimated saving: none estimated\n\n## Latency Distributions');
    expect(md).toContain('**Why it matters:** Each sync waits for the storage device to make data durable, and the caller can do nothing else meanwhile.\n');
    expect(md).toContain('Bimodal: 90% under 50 µs (cache), 10% at 5 ms (disk)');
    expect(md).toContain('| /db/wal | 100 ms | 0 ns | 0 ns | 100 ms | 0 ns | 0 | 0 | 4 | 0 |');
    expect(md).toContain('| 201 | 200 | poller | 2 | 0 | 2.0 s |');
  });

  it('shows where the time inside syscalls went when the capture has the on/off-CPU split', async () => {
    const events = sampleEvents().map((e) => ({ ...e, offCpuNs: e.syscall === 'fsync' ? e.durationNs * 0.9 : 0, runqNs: 0 }));
    const a = await analysisOf(events, { durationNs: 10e9 });
    const md = renderMarkdownReport('f.csv', a, reportModel(a, null, TEST_RULES));
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.indexOf('## On and Off the CPU inside Syscalls')).toBe(headings.indexOf('## Time by Category') + 1);
    expect(md).toContain('| fsync | 100 ms | 90.0 ms | 0 ns | 10.0 ms | 90% |');
    expect(md).toMatch(/Of [\d.]+ \S+ inside syscalls \(waiting calls aside\), [\d.]+% blocked, 0\.0% waiting for a CPU/);
    // without the split, no such section
    const plain = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    expect(renderMarkdownReport('f.csv', plain, reportModel(plain, null, TEST_RULES))).not.toContain('On and Off the CPU');
  });

  it('explains every syscall it names, once, in order of first mention', async () => {
    const a = await analysisOf([...sampleEvents(), ...callsOf('no_such_call', [5])], { durationNs: 10e9 });
    const md = renderMarkdownReport('f.csv', a, reportModel(a, null));
    const glossary = md.slice(md.indexOf('## What These Syscalls Do'));
    expect(glossary.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- **epoll_wait** — waits for events on the fds an epoll instance watches',
      "- **fsync** — waits until a file's data and metadata are on disk",
      '- **read** — reads bytes from a file, pipe or socket into a buffer',
      "- **openat** — opens a file by path (relative to a directory fd); what glibc's open() uses",
      '- **no_such_call** — see `man 2 <name>`',
    ]);
  });

  it('links the charts it is given and says how to get them when not', async () => {
    const a = await analysisOf(sampleEvents(), { durationNs: 10e9 });
    const model = reportModel(a, null);
    const plain = renderMarkdownReport('f.csv', a, model);
    expect(plain).toContain(NO_CHARTS_NOTE);
    expect(plain).not.toContain('![');
    const charts = { categories: 'r (1).md.assets/categories.svg', distributions: new Map([['read', 'r (1).md.assets/latency-read.svg']]) };
    const md = renderMarkdownReport('f.csv', a, model, charts);
    expect(md).not.toContain(NO_CHARTS_NOTE);
    expect(md).toContain('\n![Time by category](r%20%281%29.md.assets/categories.svg)\n');
    expect(md).toContain('\n![read latency distribution, log2 buckets](r%20%281%29.md.assets/latency-read.svg)\n');
    expect(md.match(/!\[/g)).toHaveLength(2);
  });

  it('says when per-file facts are missing (aggregate capture)', async () => {
    const events = await analysisOf(callsOf('read', [1000, 2000]));
    const a = { ...events, facts: null };
    const md = renderMarkdownReport('f.spb', a, reportModel(a, null));
    expect(md).toContain('## I/O Patterns by File\n\n_Not available: this capture has no per-call events');
    expect(md).toContain('## Hot Files\n\n_Not available');
  });

  it('shows a tiny but non-zero share as <0.1%', async () => {
    const a = await analysisOf([...callsOf('fsync', [10_000_000]), ...callsOf('brk', [100])]);
    expect(renderMarkdownReport('f.csv', a, reportModel(a, null))).toContain('| Memory (brk) | 1 | 100 ns | <0.1% |  |');
  });

  it('says when nothing stands out', async () => {
    const a = await analysisOf([...callsOf('read', [100]), ...callsOf('write', [100]), ...callsOf('close', [100]), ...callsOf('openat', [100])]);
    expect(renderMarkdownReport('f.csv', a, reportModel(a, null, []))).toContain(
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
