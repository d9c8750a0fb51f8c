import { describe, expect, it } from 'vitest';
import { EventBatch } from '../../../src/core/model/events.js';
import { EventWindow } from '../../../src/presentation/tui/model/event-window.js';

const call = (tid: number, comm: string, path: string | null, ret = 0) =>
  ({ startNs: 0, durationNs: 1000, pid: 7, tid, comm, syscall: 'read', nr: 0, ret, args: [], pos: null, path }) as const;

describe('EventWindow', () => {
  it('names a thread by its latest command (after an exec), files by path, and counts errors', () => {
    const w = new EventWindow();
    const batch = new EventBatch(4);
    batch.push(call(7, 'sh', null));
    batch.push(call(7, 'db', '/data/x', -2));
    batch.push(call(8, 'db', '/data/x'));
    w.add(batch);
    const { threads, files } = w.take(1e9, 3000);
    expect(threads.map((t) => [t.label, t.calls, t.errors])).toEqual([
      ['7 db', 2, 1],
      ['8 db (pid 7)', 1, 0],
    ]);
    expect(files.map((f) => [f.label, f.calls])).toEqual([['/data/x', 2]]);
  });

  it('starts empty after each take', () => {
    const w = new EventWindow();
    const batch = new EventBatch(1);
    batch.push(call(7, 'db', null));
    w.add(batch);
    w.take(1e9, 1000);
    expect(w.take(1e9, 0)).toEqual({ threads: [], files: [] });
  });
});
