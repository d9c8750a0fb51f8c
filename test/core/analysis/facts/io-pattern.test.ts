import { describe, expect, it } from 'vitest';
import { ioPattern, MIN_PATTERN_OPS, type IoPattern } from '../../../../src/core/analysis/facts/io-pattern.js';

describe('ioPattern', () => {
  it.each<[number, number, IoPattern]>([
    [0, 0, 'unknown'],
    [MIN_PATTERN_OPS - 1, MIN_PATTERN_OPS - 1, 'unknown'],
    [MIN_PATTERN_OPS, MIN_PATTERN_OPS, 'sequential'],
    [80, 100, 'sequential'],
    [79, 100, 'mixed'],
    [21, 100, 'mixed'],
    [20, 100, 'random'],
    [0, 100, 'random'],
  ])('%i sequential of %i compared: %s', (sequential, compared, pattern) => {
    expect(ioPattern(sequential, compared)).toBe(pattern);
  });
});
