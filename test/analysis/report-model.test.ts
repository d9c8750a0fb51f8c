import { describe, expect, it } from 'vitest';
import { reportModel } from '../../src/analysis/report-model.js';
import { analysisOf, callsOf } from '../helpers/offline.js';

describe('reportModel', () => {
  it('keeps --top rows, and distributions of the 3 syscalls with most time', async () => {
    const a = await analysisOf([...callsOf('fsync', [9_000_000]), ...callsOf('read', [5_000, 20_000]), ...callsOf('write', [3_000]), ...callsOf('close', [100])]);
    const m = reportModel(a, 2);
    expect(m.rows.map((r) => r.name)).toEqual(['fsync', 'read']);
    expect(m.omitted).toBe(2);
    expect(m.distributions.map((d) => d.syscall)).toEqual(['fsync', 'read', 'write']);
    expect(m.distributions[1]!.table.buckets.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0]);
    expect(m.findings[0]!.title).toBe('fsync() dominates latency (100% of non-waiting time)');
    expect(m.categories[0]).toMatchObject({ category: 'sync', bottleneck: true });
  });

  it('is empty for an empty capture', async () => {
    expect(reportModel(await analysisOf([]), null)).toEqual({ rows: [], omitted: 0, categories: [], findings: [], distributions: [] });
  });
});
