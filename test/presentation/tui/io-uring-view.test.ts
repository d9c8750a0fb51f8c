// The live view's io_uring rows: per opcode, the interval between two snapshots.
import { describe, expect, it } from 'vitest';
import { ioUringOff } from '../../../src/core/model/io-uring.js';
import { batchJson } from '../../../src/presentation/tui/batch-json.js';
import { batchText } from '../../../src/presentation/tui/batch-text.js';
import { buildFrame } from '../../../src/presentation/tui/model/interval.js';
import { viewRows } from '../../../src/presentation/tui/model/view-rows.js';
import { uringOp, uringProfile } from '../../helpers/io-uring.js';
import { profileOf } from '../../helpers/profile.js';

const n = (count: number, ns: number): number[] => Array.from({ length: count }, () => ns);

function snap(durationNs: number, reads: number, fsyncs: number) {
  return profileOf({ durationNs, final: false, ioUring: uringProfile([uringOp('read', n(reads, 2000)), uringOp('fsync', n(fsyncs, 500_000))]) });
}

describe('io_uring view', () => {
  it('has a row per opcode with requests in the interval, their rate, latency and share of request time', () => {
    const frame = buildFrame(snap(1e9, 100, 2), snap(2e9, 600, 2), 2);
    const rows = viewRows(frame, 'io_uring')!;
    // fsync had no request in this interval
    expect(rows.map((r) => [r.label, r.calls, r.callsPerSec])).toEqual([['io_uring read', 500, 500]]);
    expect(rows[0]!.share).toBe(1);
    expect(Math.abs(rows[0]!.latency().p50Ns! - 2000) / 2000).toBeLessThan(0.125);
    // and in live --json
    const j = JSON.parse(batchJson(frame, 10)) as { ioUring: { name: string; calls: number }[] };
    expect(j.ioUring.map((r) => [r.name, r.calls])).toEqual([['io_uring read', 500]]);
  });

  it('has no rows when io_uring was not traced, and says why in batch mode', () => {
    const off = profileOf({ durationNs: 1e9, final: false, ioUring: ioUringOff('disabled') });
    const frame = buildFrame(null, off, 1);
    expect(viewRows(frame, 'io_uring')).toBeNull();
    expect(batchText(frame, null, { view: 'io_uring', sort: 'share', top: 20, filter: '', width: 100, intervalMs: 1000 })).toContain('(the io_uring view needs the eBPF backend with io_uring traced)');
  });

  it('is empty (not missing) when io_uring was traced but unused', () => {
    const frame = buildFrame(null, profileOf({ durationNs: 1e9, final: false, ioUring: uringProfile([]) }), 1);
    expect(viewRows(frame, 'io_uring')).toEqual([]);
  });
});
