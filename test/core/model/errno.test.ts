import { describe, expect, it } from 'vitest';
import { errnoDescription, errnoName, errnoNameOf, errnoNumber } from '../../../src/core/model/errno.js';

describe('errnoName', () => {
  it.each<[number, string | null]>([
    [-1, 'EPERM'],
    [-2, 'ENOENT'],
    [-11, 'EAGAIN'],
    [-110, 'ETIMEDOUT'],
    [-133, 'EHWPOISON'],
    [-512, 'ERESTARTSYS'],
    [-513, 'ERESTARTNOINTR'],
    [-514, 'ERESTARTNOHAND'],
    [-515, 'ENOIOCTLCMD'],
    [-516, 'ERESTART_RESTARTBLOCK'],
    // numbers without a name still read as errors
    [-41, 'E41'],
    [-4095, 'E4095'],
    // not errors: success values, and addresses mmap returns near the top
    [0, null],
    [4096, null],
    [-4096, null],
    [-1.5, null],
  ])('%d -> %s', (ret, name) => {
    expect(errnoName(ret)).toBe(name);
  });
});

describe('errno tables', () => {
  it('name every errno 1..133 except the two Linux leaves unused (41, 58)', () => {
    const missing = Array.from({ length: 133 }, (_, i) => i + 1).filter((n) => errnoNameOf(n) === null);
    expect(missing).toEqual([41, 58]);
  });

  it.each<[string, number]>([
    ['ENOENT', 2],
    ['EWOULDBLOCK', 11],
    ['EDEADLOCK', 35],
    ['ERESTARTSYS', 512],
  ])('%s is %d', (name, n) => {
    expect(errnoNumber(name)).toBe(n);
  });

  it('describes like strerror and round-trips names', () => {
    expect(errnoDescription(2)).toBe('No such file or directory');
    expect(errnoDescription(9)).toBe('Bad file descriptor');
    expect(errnoDescription(41)).toBeNull();
    for (let n = 1; n <= 516; n++) {
      const name = errnoNameOf(n);
      if (name !== null) expect(errnoNumber(name)).toBe(n);
    }
    expect(errnoNumber('ENOPE')).toBeNull();
  });
});
