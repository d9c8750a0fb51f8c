import { describe, expect, it } from 'vitest';
import { LastLine } from '../../../../src/core/backends/ebpf/last-line.js';

describe('LastLine', () => {
  it('keeps the last non-empty line across chunks', () => {
    const t = new LastLine();
    expect(t.line).toBe('');
    t.push(Buffer.from('first\nsec'));
    expect(t.line).toBe('sec');
    t.push(Buffer.from('ond line\r\n\n  \n'));
    expect(t.line).toBe('second line');
  });

  it('joins a UTF-8 character split between chunks', () => {
    const bytes = Buffer.from('took 5 µs\n');
    const t = new LastLine();
    const cut = bytes.indexOf(0xb5);
    t.push(bytes.subarray(0, cut));
    t.push(bytes.subarray(cut));
    expect(t.line).toBe('took 5 µs');
  });
});
