import { describe, expect, it } from 'vitest';
import { allSyscallNames, hostArch, knownArches, syscallName, syscallNumber, syscallTable } from '../../../src/core/model/syscall-names.js';

describe('x86_64 syscall names', () => {
  it.each([
    [0, 'read'],
    [1, 'write'],
    [74, 'fsync'],
    [232, 'epoll_wait'],
    [257, 'openat'],
    [450, 'set_mempolicy_home_node'],
    [451, 'cachestat'],
    [462, 'mseal'],
    [469, 'file_setattr'],
  ])('%i is %s, both ways', (nr, name) => {
    expect(syscallName('x86_64', nr)).toBe(name);
    expect(syscallNumber('x86_64', name)).toBe(nr);
  });

  it('names unknown numbers syscall_<nr> and maps them back', () => {
    expect(syscallName('x86_64', 400)).toBe('syscall_400');
    expect(syscallName('riscv', 0)).toBe('syscall_0');
    expect(syscallNumber('x86_64', 'syscall_400')).toBe(400);
    expect(syscallNumber('x86_64', 'no_such_call')).toBeNull();
  });

  it('has unique names and no gaps 424..469', () => {
    const table = syscallTable('x86_64')!;
    expect(new Set(table.values()).size).toBe(table.size);
    for (let nr = 424; nr <= 469; nr++) expect(table.has(nr), `nr ${nr}`).toBe(true);
  });
});

describe('arm64 syscall names', () => {
  it.each([
    [56, 'openat'],
    [57, 'close'],
    [63, 'read'],
    [64, 'write'],
    [79, 'newfstatat'],
    [80, 'fstat'],
    [220, 'clone'],
    [221, 'execve'],
    [435, 'clone3'],
    [451, 'cachestat'],
    [469, 'file_setattr'],
  ])('%i is %s, both ways, as aarch64 or arm64', (nr, name) => {
    for (const arch of ['aarch64', 'arm64']) {
      expect(syscallName(arch, nr)).toBe(name);
      expect(syscallNumber(arch, name)).toBe(nr);
    }
  });

  it('has none of the calls arm64 left out (open, stat, fork)', () => {
    for (const name of ['open', 'stat', 'fork', 'epoll_wait']) expect(syscallNumber('aarch64', name), name).toBeNull();
  });
});

describe('architectures', () => {
  it('has a table for x86_64 and aarch64', () => {
    expect(knownArches().sort()).toEqual(['aarch64', 'x86_64']);
  });

  it('names the host architecture as uname -m does', () => {
    expect(hostArch('x64')).toBe('x86_64');
    expect(hostArch('arm64')).toBe('aarch64');
    expect(hostArch('riscv64')).toBe('riscv64');
  });

  it('lists every name of every architecture once, x86_64 first', () => {
    const names = allSyscallNames();
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 3)).toEqual(['read', 'write', 'open']);
    expect(names.length).toBeGreaterThanOrEqual(syscallTable('x86_64')!.size);
  });
});
