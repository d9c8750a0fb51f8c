import { describe, expect, it } from 'vitest';
import { escapeCell, markdownTable } from '../../../src/presentation/render/markdown-table.js';

describe('markdownTable', () => {
  it('writes a header, alignments and rows', () => {
    expect(
      markdownTable(
        [
          { title: 'Name', align: 'left' },
          { title: 'N', align: 'right' },
        ],
        [['a', '1'], ['b|c', '2']],
      ),
    ).toEqual(['| Name | N |', '| --- | ---: |', '| a | 1 |', '| b\\|c | 2 |']);
  });

  it('has only the header for no rows', () => {
    expect(markdownTable([{ title: 'X', align: 'left' }], [])).toEqual(['| X |', '| --- |']);
  });

  it.each<[string, string]>([
    ['plain', 'plain'],
    ['a|b', 'a\\|b'],
    ['two\nlines', 'two lines'],
    ['back\\slash', 'back\\\\slash'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeCell(text)).toBe(escaped);
  });
});
