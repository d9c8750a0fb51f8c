import { describe, expect, it } from 'vitest';
import { ioUringOff } from '../../../src/core/model/io-uring.js';
import { palette } from '../../../src/presentation/render/color.js';
import { renderIoUringTable } from '../../../src/presentation/render/io-uring-table.js';
import { jsonIoUring } from '../../../src/presentation/render/json.js';
import { renderReport } from '../../../src/presentation/render/report.js';
import { ioUringSection } from '../../../src/presentation/render/report-io-uring.js';
import { profileOf } from '../../helpers/profile.js';
import { uringOp, uringProfile } from '../../helpers/io-uring.js';

const plain = palette(false);

const USED = uringProfile(
  [uringOp('read', [2000, 2000, 4000], { errors: 1, errnos: [{ errno: 9, count: 1 }], bytes: 8192 }), uringOp('fsync', [300_000], { punted: 1 })],
  { process: { waits: 4, overflows: 2 }, inFlight: [{ tgid: 4242, op: 'write', opcode: 23, ageNs: 5_000_000, punted: false, fd: 3 }] },
);

describe('io_uring table', () => {
  it('is empty without io_uring data, and when io_uring was traced but unused', () => {
    expect(renderIoUringTable(null, plain)).toEqual([]);
    expect(renderIoUringTable(undefined, plain)).toEqual([]);
    expect(renderIoUringTable(uringProfile([]), plain)).toEqual([]);
    expect(renderIoUringTable(ioUringOff(null), plain)).toEqual([]);
    expect(ioUringSection(null)).toEqual([]);
    expect(ioUringSection(uringProfile([]))).toEqual([]);
  });

  it('says in one line why io_uring was not traced', () => {
    expect(renderIoUringTable(ioUringOff('io_uring is disabled'), plain)).toEqual(['io_uring is not traced: io_uring is disabled']);
  });

  it('lists each opcode with errors by errno, bytes and punts, then waits, overflows and what was in flight', () => {
    const text = renderIoUringTable(USED, plain).join('\n');
    expect(text).toMatch(/^fsync\s+1\s+0\s+300 µs\s+.*-\s+1 \(100%\)$/m);
    expect(text).toMatch(/^read\s+3\s+1 EBADF\s+8\.0 µs\s+.*8\.0 KiB\s+0$/m);
    expect(text).toContain('by db (4242); 4 waits for completions in io_uring_enter; 2 CQ overflows');
    expect(text).toContain('1 requests still in flight at the end, the oldest write for 5.0 ms');
  });

  it('is in the Markdown report section too', () => {
    const md = ioUringSection(USED).join('\n');
    expect(md).toContain('| read | 3 | 1 EBADF |');
    expect(md).toContain('2 CQ overflows');
  });
});

describe('io_uring rings and files', () => {
  const FILE = { pid: 4242, comm: 'db', fd: 3, fixedFile: false, opcode: 22, op: 'read', count: 40, errors: 0, bytes: 40 * 4096, totalNs: 80_000, maxNs: 9000, punted: 0, compared: 39, sequential: 39, pattern: 'sequential' as const, minOffset: 0, maxEnd: 40 * 4096 };
  const WITH = uringProfile(USED.ops, {
    process: { rings: [{ ring: 0xabc, requests: 40, submits: 10, maxDepth: 4, avgDepth: 2.5 }] },
    files: [{ ...FILE, path: '/data/x' }, { ...FILE, path: null, fixedFile: true, fd: 0, op: 'write', opcode: 23, pattern: 'unknown' as const }],
  });

  it('has no ring line or file table without them', () => {
    const text = renderIoUringTable(USED, plain).join('\n');
    expect(text).not.toMatch(/^ring /m);
    expect(text).not.toContain('by File');
    expect(ioUringSection(uringProfile(USED.ops, { files: [] })).join('\n')).not.toContain('by File');
  });

  it('says each ring\'s requests per submitting call and depth, and the files with their access pattern', () => {
    const text = renderIoUringTable(WITH, plain).join('\n');
    expect(text).toContain('ring 00000abc of db (4242): 40 requests in 10 io_uring_enter calls that submit (4.0 per call); depth 2.5 average, 4 max');
    expect(text).toMatch(/^\/data\/x\s+read\s+40\s+80\.0 µs\s+2\.0 µs\s+9\.0 µs\s+160\.0 KiB\s+0\s+sequential$/m);
    expect(text).toMatch(/^fixed file #0\s+write\s+40\s.*\s-$/m);
    const md = ioUringSection(WITH).join('\n');
    expect(md).toContain('**io_uring Requests by File**');
    expect(md).toContain('| /data/x | read | 40 |');
    expect(jsonIoUring(WITH)).toMatchObject({ files: [{ path: '/data/x', pattern: 'sequential' }, { path: null }], processes: [{ rings: [{ ring: 0xabc }] }] });
  });

  it('says a capture built from records has no waits or overflows', () => {
    expect(renderIoUringTable(uringProfile(USED.ops, { fromRecords: true }), plain).join('\n')).toContain('by db (4242); waits and CQ overflows are counted in spb captures only');
  });
});

describe('trace report and JSON', () => {
  it('shows the table under the syscall table only when io_uring was used', () => {
    expect(renderReport(profileOf({ ioUring: USED }), { top: null, palette: plain })).toMatch(/Syscall Summary:[\s\S]*io_uring Requests/);
    expect(renderReport(profileOf({ ioUring: uringProfile([]) }), { top: null, palette: plain })).not.toContain('io_uring');
    // the loader says why on stderr; the report does not repeat it
    expect(renderReport(profileOf({ ioUring: ioUringOff('disabled') }), { top: null, palette: plain })).not.toContain('io_uring');
  });

  it('carries rows with integer latencies, null when the backend cannot see io_uring', () => {
    expect(jsonIoUring(null)).toBeNull();
    const j = jsonIoUring(USED) as { ops: { op: string; p50Ns: number; puntRate: number }[]; processes: { waits: number }[] };
    expect(j.ops.map((o) => o.op)).toEqual(['fsync', 'read']);
    for (const o of j.ops) expect(Number.isInteger(o.p50Ns)).toBe(true);
    expect(j.ops[0]!.puntRate).toBe(1);
    expect(j.processes[0]!.waits).toBe(4);
    expect(jsonIoUring(ioUringOff('x'))).toEqual({ traced: false, offReason: 'x', ops: [], processes: [], inFlight: [], drops: 0 });
  });
});
