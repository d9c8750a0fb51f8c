import { describe, expect, it } from 'vitest';
import { PROGRESS_MIN_BYTES, ProgressBar } from '../../../src/core/capture/progress.js';

describe('ProgressBar', () => {
  it.each<[string, boolean | undefined, number, boolean]>([
    ['terminal, large input', true, PROGRESS_MIN_BYTES + 1, true],
    ['terminal, small input', true, PROGRESS_MIN_BYTES, false],
    ['not a terminal', false, 10 * PROGRESS_MIN_BYTES, false],
    ['unknown', undefined, 10 * PROGRESS_MIN_BYTES, false],
  ])('%s', (_name, isTTY, size, wanted) => {
    expect(ProgressBar.wanted({ isTTY, write: () => true }, size)).toBe(wanted);
  });

  it('draws one line with rows/s and clears it', () => {
    let out = '';
    const bar = new ProgressBar({ isTTY: true, columns: 100, write: (s: string) => (out += s) }, 1000, 'reading');
    bar.update(500, 1_000_000);
    expect(out).toMatch(/^\rreading \[#{15}\.{15}\]  50%  1,000,000 rows  [\d,]+ rows\/s\u001b\[K$/);
    expect(out).not.toContain('\n');
    // redraws are throttled
    bar.update(600, 1_100_000);
    expect(out.split('\r')).toHaveLength(2);
    bar.clear();
    expect(out.endsWith('\r\u001b[K')).toBe(true);
  });
});
