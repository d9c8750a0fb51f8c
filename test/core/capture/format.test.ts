import { describe, expect, it } from 'vitest';
import { formatFromExtension, sniffFormat, type CaptureFormat } from '../../../src/core/capture/format.js';
import { encodeStream, headerFrame } from '../../helpers/frames.js';

describe('formatFromExtension', () => {
  it.each<[string, CaptureFormat | null]>([
    ['trace.csv', 'csv'],
    ['TRACE.CSV', 'csv'],
    ['a/b.jsonl', 'jsonl'],
    ['x.ndjson', 'jsonl'],
    ['run.spb', 'spb'],
    ['trace.txt', null],
    ['trace', null],
  ])('%s', (path, format) => {
    expect(formatFromExtension(path)).toBe(format);
  });
});

describe('sniffFormat', () => {
  it.each<[string, Uint8Array, CaptureFormat | null]>([
    ['csv metadata', Buffer.from('# syscall-prof capture v1\n'), 'csv'],
    ['csv header', Buffer.from('timestamp_ns,pid,tid\n'), 'csv'],
    ['a csv row', Buffer.from('1735787045000001000,7,'), 'csv'],
    ['json lines', Buffer.from('{"syscall_prof":1}'), 'jsonl'],
    ['an spb stream', encodeStream([headerFrame()]), 'spb'],
    ['text', Buffer.from('hello'), null],
    ['nothing', new Uint8Array(0), null],
  ])('%s', (_name, head, format) => {
    expect(sniffFormat(head)).toBe(format);
  });
});
