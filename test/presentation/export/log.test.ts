import { describe, expect, it } from 'vitest';
import { formatRecord, lineLogger, logfmtValue, type Level } from '../../../src/presentation/export/log.js';

describe('logfmt records', () => {
  it.each([
    ['plain', 'plain'],
    ['127.0.0.1:9464', '127.0.0.1:9464'],
    ['two words', '"two words"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['a\nb', '"a\\nb"'],
    ['', '""'],
  ])('%o -> %s', (value, out) => {
    expect(logfmtValue(value)).toBe(out);
  });

  it('writes ts, level, msg, then fields, on one line', () => {
    const line = formatRecord(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), 'warn', 'otlp export failing', { url: 'http://x:1/v1/metrics', error: 'connect ECONNREFUSED', n: 3, skip: undefined });
    expect(line).toBe('ts=2026-01-02T03:04:05.006Z level=warn msg="otlp export failing" url=http://x:1/v1/metrics error="connect ECONNREFUSED" n=3');
  });

  it('turns another program\'s stderr lines into records, across chunk boundaries', () => {
    const got: [Level, string][] = [];
    const sink = lineLogger({ log: (level, msg) => got.push([level, msg]) }, 'warn', 'loader');
    sink.write('first li');
    sink.write('ne\n\nsecond\n');
    expect(got).toEqual([
      ['warn', 'first line'],
      ['warn', 'second'],
    ]);
  });
});
