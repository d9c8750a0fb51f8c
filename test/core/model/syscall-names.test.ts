import { describe, expect, it } from 'vitest';
import { syscallName, syscallNumber } from '../../../src/core/model/syscall-names.js';
import { X86_64_SYSCALLS } from '../../../src/core/model/syscalls-x86_64.js';

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

  it('has unique names and no gaps 452..469', () => {
    expect(new Set(X86_64_SYSCALLS.values()).size).toBe(X86_64_SYSCALLS.size);
    for (let nr = 424; nr <= 469; nr++) expect(X86_64_SYSCALLS.has(nr), `nr ${nr}`).toBe(true);
  });
});
