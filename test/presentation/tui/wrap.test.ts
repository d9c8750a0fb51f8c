import { describe, expect, it } from 'vitest';
import { findingLines } from '../../../src/presentation/tui/model/finding-lines.js';
import { wrapText } from '../../../src/presentation/tui/model/wrap.js';

describe('wrapText', () => {
  it.each<[string, number, string, string[]]>([
    ['', 10, '', ['']],
    ['short', 10, '', ['short']],
    ['one two three four', 9, '', ['one two', 'three', 'four']],
    ['one two three four', 9, '  ', ['one two', '  three', '  four']],
    // a word longer than a line is cut
    ['abcdefghijkl xy', 5, '', ['abcde', 'fghij', 'kl xy']],
    ['a abcdefghij', 4, ' ', ['a', ' abc', ' def', ' ghi', ' j']],
  ])('%j in %d columns (indent %j)', (text, width, indent, lines) => {
    const out = wrapText(text, width, indent);
    expect(out).toEqual(lines);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(width);
  });
});

describe('findingLines', () => {
  it('gives no lines for no findings', () => {
    expect(findingLines([], 80)).toEqual([]);
  });

  it('lays out a finding whole: marked title, evidence, why, each recommendation', () => {
    const lines = findingLines(
      [{ severity: 'critical', syscall: 'fsync', text: { title: 'fsync() dominates', evidence: ['10 calls'], why: 'Syncs wait.', recommendation: ['Group commit', 'Use fdatasync'] } }],
      40,
    );
    expect(lines).toEqual([
      { text: '!! fsync() dominates', tone: 'bad' },
      { text: '   · 10 calls', tone: 'plain' },
      { text: '   Why: Syncs wait.', tone: 'dim' },
      { text: '   → Group commit', tone: 'dim' },
      { text: '   → Use fdatasync', tone: 'dim' },
    ]);
  });

  it('leaves out an empty why', () => {
    const lines = findingLines([{ severity: 'info', syscall: null, text: { title: 'x', evidence: [], why: '', recommendation: [] } }], 40);
    expect(lines).toEqual([{ text: ' - x', tone: 'plain' }]);
  });
});
