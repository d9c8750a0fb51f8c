// The stderr summary of `trace --output`: the io_uring requests' line.
import { describe, expect, it } from 'vitest';
import { captureSummary } from '../../src/cli/trace-summary.js';
import type { CaptureResult } from '../../src/cli/trace-capture.js';
import { profileOf } from '../helpers/profile.js';

function result(format: CaptureResult['format'], ioUringRequests: number): CaptureResult {
  return { profile: profileOf({}), path: `/tmp/x.${format}`, format, rows: 3, bytes: 100, lostEvents: 0, ringbufMb: 16, ioUringRequests };
}

describe('captureSummary', () => {
  it.each<[CaptureResult['format'], number, string]>([
    ['csv', 0, 'wrote 3 rows to /tmp/x.csv (csv, 100 B); 0 records lost\n'],
    ['csv', 7, 'wrote 3 rows to /tmp/x.csv (csv, 100 B); 0 records lost\nand 7 io_uring requests to /tmp/x.io_uring.csv\n'],
    ['jsonl', 1, 'wrote 3 rows to /tmp/x.jsonl (jsonl, 100 B); 0 records lost\nand 1 io_uring request\n'],
    ['parquet', 2, 'wrote 3 rows to /tmp/x.parquet (parquet, 100 B); 0 records lost\nwarning: 2 io_uring requests were not written: Parquet captures do not carry per-request records yet (spb, CSV and JSON lines do)\n'],
  ])('%s with %d requests', (format, n, text) => {
    expect(captureSummary(result(format, n))).toBe(text);
  });
});
