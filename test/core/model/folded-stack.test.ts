// Folded stack text: frame names (resolved, unresolved, anonymous, kernel), and read back.
import { describe, expect, it } from 'vitest';
import { foldFrames, frameName, unfoldFrames } from '../../../src/core/model/folded-stack.js';
import type { StackFrame } from '../../../src/core/model/stacks.js';

const f = (over: Partial<StackFrame>): StackFrame => ({ address: 0x7f0000001234, symbol: '', symbolOffset: 0, module: '', moduleOffset: 0, unresolved: '', kernel: false, ...over });

describe('frameName', () => {
  it.each([
    ['a resolved frame', f({ symbol: 'ledger_append', module: '/bin/ledger' }), 'ledger_append'],
    ['an unresolved frame in a library', f({ module: '/usr/lib/libfoo.so.1', moduleOffset: 0x1234, unresolved: 'no symbols' }), '[unknown in libfoo.so.1+0x1234]'],
    ['an anonymous mapping', f({ module: '[anon]', unresolved: 'anonymous mapping' }), '[anon]'],
    ['a frame with no module', f({ address: 0xdead }), '[unknown 0xdead]'],
    ['a kernel frame', f({ symbol: 'do_fsync', module: '[kernel]', kernel: true }), 'do_fsync_[k]'],
    ['a name with the separator and a line break', f({ symbol: 'a;b\nc' }), 'a:b?c'],
  ])('names %s', (_what, frame, name) => {
    expect(frameName(frame)).toBe(name);
  });
});

describe('folded stacks', () => {
  it('folds innermost-first frames outermost first', () => {
    expect(foldFrames([f({ symbol: 'fsync' }), f({ symbol: 'commit' }), f({ symbol: 'main' })])).toBe('main;commit;fsync');
    expect(foldFrames([])).toBe('');
  });

  it('reads folded text back into frames that fold the same', () => {
    const text = 'main;[unknown in libfoo.so+0x1a2b];[anon];Db::commit(int, char);do_fsync_[k]';
    const frames = unfoldFrames(text);
    expect(frames.map((x) => [x.symbol, x.module, x.moduleOffset, x.kernel])).toEqual([
      ['do_fsync', '', 0, true],
      ['Db::commit(int, char)', '', 0, false],
      ['', '[anon]', 0, false],
      ['', 'libfoo.so', 0x1a2b, false],
      ['main', '', 0, false],
    ]);
    expect(foldFrames(frames)).toBe(text);
    expect(unfoldFrames('')).toEqual([]);
  });
});
