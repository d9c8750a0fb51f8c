import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDurationNs, parseRingbufMb, parseSyscallList } from '../../src/cli/trace-parsers.js';

describe('parseDurationNs', () => {
  it.each<[string, number]>([
    ['500ns', 500],
    ['100us', 100_000],
    ['100µs', 100_000],
    ['1.5ms', 1_500_000],
    ['2s', 2e9],
    ['0.5 ms', 500_000],
    ['.25s', 250_000_000],
    ['0ns', 0],
  ])('%s', (text, ns) => {
    expect(parseDurationNs(text)).toBe(ns);
  });

  it.each(['100', 'ms', '-5ms', '5 minutes', '1e3us', '2d', '90000s'])('rejects %j', (text) => {
    expect(() => parseDurationNs(text)).toThrow(InvalidArgumentError);
  });
});

describe('parseSyscallList and parseRingbufMb', () => {
  it('splits names', () => {
    expect(parseSyscallList('read,write, fsync')).toEqual(['read', 'write', 'fsync']);
    expect(() => parseSyscallList('read,,write')).toThrow(InvalidArgumentError);
  });

  it.each<[string, number | null]>([
    ['1', 1],
    ['64', 64],
    ['1024', 1024],
    ['0', null],
    ['48', null],
    ['2048', null],
    ['16MiB', null],
  ])('ring buffer %s', (text, mb) => {
    if (mb === null) expect(() => parseRingbufMb(text)).toThrow(InvalidArgumentError);
    else expect(parseRingbufMb(text)).toBe(mb);
  });
});
