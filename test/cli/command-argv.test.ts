import { describe, expect, it } from 'vitest';
import { commandArgv } from '../../src/cli/command-argv.js';

describe('commandArgv', () => {
  it.each([
    ['./cpu 1', ['./cpu', '1']],
    ['make -j2', ['make', '-j2']],
    [`grep -r "two words" 'src dir'`, ['grep', '-r', 'two words', 'src dir']],
    ['touch a\\ b', ['touch', 'a b']],
    ['env FOO=1 make', ['env', 'FOO=1', 'make']],
  ])('runs the plain command line %j as its words', (cmd, argv) => {
    expect(commandArgv(cmd)).toEqual(argv);
  });

  it.each([
    'make && make install',
    'ls *.c',
    'echo $HOME',
    'echo "$HOME"',
    'cat < in > out',
    'a; b',
    '(cd x)',
    'cd /tmp',
    'FOO=1 make',
    'ls ~',
    'a # comment',
    'sleep 1 &',
    'echo `date`',
    'while true\ndo :; done',
    'exit 3',
  ])('runs %j through /bin/sh -c', (cmd) => {
    expect(commandArgv(cmd)).toEqual(['/bin/sh', '-c', cmd]);
  });
});
