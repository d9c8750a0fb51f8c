import { describe, expect, it } from 'vitest';
import { numericArg, splitArgs, stringArg } from '../../../../src/core/backends/strace/args.js';
import { parseCall } from '../../../../src/core/backends/strace/call.js';
import { parseLine } from '../../../../src/core/backends/strace/line.js';

// Lines copied from the recorded fixtures (test/fixtures/strace/), one per shape.
describe('strace line grammar', () => {
  it.each([
    ['32666 1795588454.802379 read(3<pipe:[161951]>,  <unfinished ...>', 'unfinished', 32666],
    ['32666 1795588454.852853 <... read resumed>"x", 8) = 1 <0.050459>', 'resumed', 32666],
    ['[pid  4242] 1795588454.802379 close(3) = 0 <0.000010>', 'call', 4242],
    ['32674 1795588455.075737 --- SIGCHLD {si_signo=17, si_code=0x1, si_pid=32675, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---', 'signal', 32674],
    ['32680 1795588455.081926 +++ killed by SIGKILL +++', 'killed', 32680],
    ['1227  1795588496.667384 +++ exited with 3 +++', 'exit', 1227],
    ['404   brk(NULL)                         = 0x560d5de6c000', 'call', 404],
    ['brk(NULL)                         = 0x560d5de6c000', 'call', null],
    ['strace: Process 1234 attached', 'note', undefined],
    ['hello world', 'bad', undefined],
    ['32680 1795588455.081926 +++ something +++', 'bad', undefined],
  ])('%s -> %s', (text, kind, tid) => {
    const l = parseLine(text);
    expect(l.kind).toBe(kind);
    if (tid !== undefined && 'tid' in l) expect(l.tid).toBe(tid);
  });

  it.each([
    ['a, "b, (c)", {x=1, y=[2, 3]}, [4, 5], 6', ['a', '"b, (c)"', '{x=1, y=[2, 3]}', '[4, 5]', '6']],
    ['1</dev/null<char 1:3>>, "a, b (c) \\"q\\" \\\\ tab\\tend"..., 91', ['1</dev/null<char 1:3>>', '"a, b (c) \\"q\\" \\\\ tab\\tend"...', '91']],
    ['5<TCP:[127.0.0.1:1->127.0.0.1:2]>, {sa_family=0x2}, [128 => 16]', ['5<TCP:[127.0.0.1:1->127.0.0.1:2]>', '{sa_family=0x2}', '[128 => 16]']],
    ['', []],
  ])('splits %s', (text, args) => {
    expect(splitArgs(text)).toEqual(args);
  });

  it.each([
    ['3</etc/passwd>', 3n, '/etc/passwd'],
    ['-100</work>', 2n ** 64n - 100n, '/work'],
    ['0x80000', 0x80000n, null],
    ['NULL', 0n, null],
    ['flags=0x3d0f00', 0x3d0f00n, null],
  ])('number %s', (text, value, annotation) => {
    expect(numericArg(text)).toEqual({ value, annotation });
  });

  it.each([['O_RDONLY'], ['"abc"'], ['{st_mode=0}']])('not a number: %s', (text) => {
    expect(numericArg(text)).toBeNull();
  });

  it('unescapes strings, not truncated ones', () => {
    expect(stringArg('"a\\tb\\n\\"c\\\\ \\177"')).toBe('a\tb\n"c\\ \x7f');
    expect(stringArg('"abc"...')).toBeNull();
  });

  it.each([
    ['access("/etc/ld.so.preload", 0x4) = -1 ENOENT (No such file or directory) <0.000007>', -2, 'ENOENT', 7000, false],
    ['read(3<pipe:[1]>, 0x7f, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set) <0.049889>', -512, 'ERESTARTSYS', 49_889_000, false],
    ['exit_group(0)   = ?', 0, null, null, true],
    ['openat(-100</w>, "/etc/ld.so.cache", 0x80000) = 3</etc/ld.so.cache> <0.000037>', 3, null, 37_000, false],
    ['poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout) <0.000005>', 0, null, 5000, false],
  ])('call %s', (text, ret, errno, durationNs, noReturn) => {
    const name = text.slice(0, text.indexOf('('));
    const c = parseCall(name, text);
    expect(typeof c).not.toBe('string');
    if (typeof c === 'string') return;
    expect([c.ret, c.errno, c.durationNs, c.noReturn]).toEqual([ret, errno, durationNs, noReturn]);
  });

  it.each([['read(3, "abc, 1) = 1'], ['read(3, 1 = 1'], ['read(3) junk']])('rejects %s', (text) => {
    expect(typeof parseCall('read', text)).toBe('string');
  });
});
