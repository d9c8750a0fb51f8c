import { describe, expect, it } from 'vitest';
import { openCapture } from '../../../src/core/backends/open-recording.js';
import { InputError } from '../../../src/core/errors.js';
import { event, fileWith, readCapture, writeCapture } from '../capture/capture-helpers.js';
import { eventsFrame, eventStream } from '../capture/event-frames.js';
import { readFileSync } from 'node:fs';

describe('openCapture', () => {
  it('picks the format from the extension, else from the content', async () => {
    const csv = readFileSync(writeCapture('csv', [event()]));
    const jsonl = readFileSync(writeCapture('jsonl', [event()]));
    const spb = eventStream([eventsFrame([{ at: 1000, nr: 0 }])]);
    for (const [name, bytes] of [['a.csv', csv], ['a.jsonl', jsonl], ['a.spb', spb], ['noext1', csv], ['noext2', jsonl], ['noext3', spb]] as const) {
      const { events } = await readCapture(fileWith(name, bytes));
      expect(events, name).toHaveLength(1);
    }
  });

  it('takes an explicit format over the extension', async () => {
    const path = fileWith('trace.txt', readFileSync(writeCapture('csv', [event()])));
    expect((await readCapture(path, { format: 'csv' })).events).toHaveLength(1);
    expect(() => openCapture(path, { format: 'jsonl' })).toThrow(/line 1: expected \{"syscall_prof": 1/);
  });

  it.each<[string, string | Buffer, RegExp]>([
    ['a missing file', '', /: cannot open: no such file$/],
    ['an empty file without extension', Buffer.alloc(0), /: line 1: empty file, expected a capture \(csv, jsonl, spb or parquet\)$/],
    ['unknown content', Buffer.from('GIF89a...'), /: byte offset 0: expected a capture \(csv, jsonl, spb or parquet\) or a strace\/perf trace log but the content is none of them; name the format with --format$/],
  ])('rejects %s with an InputError', (name, content, message) => {
    const path = name === 'a missing file' ? '/nonexistent/x.csv' : fileWith('input', content);
    expect(() => openCapture(path)).toThrow(InputError);
    expect(() => openCapture(path)).toThrow(message);
  });

  it('draws a progress bar only for a terminal and a large file', async () => {
    const written: string[] = [];
    const tty = { isTTY: true, columns: 80, write: (s: string) => written.push(s) };
    const path = writeCapture('csv', [event()]);
    const source = openCapture(path, { progress: tty });
    for await (const _ of source.batches) {
      // small file: no bar
    }
    expect(written).toEqual([]);
  });
});
