import { describe, expect, it } from 'vitest';
import { assertCanTraceWithEbpf, canTraceWithEbpf, CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN, parseCapEff } from '../../../../src/core/backends/ebpf/privileges.js';
import { PermissionError } from '../../../../src/core/errors.js';

const mask = (...caps: number[]): bigint => caps.reduce((m, c) => m | (1n << BigInt(c)), 0n);

describe('eBPF privileges', () => {
  it('parses CapEff from /proc status text', () => {
    expect(parseCapEff('Name:\tx\nCapPrm:\t0000000000000001\nCapEff:\t000001ffffffffff\n')).toBe(0x1ffffffffffn);
    expect(parseCapEff('Name:\tx\n')).toBeNull();
  });

  it.each([
    ['root', { euid: 0, capEff: 0n }, true],
    ['CAP_BPF + CAP_PERFMON', { euid: 1000, capEff: mask(CAP_BPF, CAP_PERFMON) }, true],
    ['CAP_SYS_ADMIN', { euid: 1000, capEff: mask(CAP_SYS_ADMIN) }, true],
    ['CAP_BPF alone', { euid: 1000, capEff: mask(CAP_BPF) }, false],
    ['nothing', { euid: 1000, capEff: 0n }, false],
    ['no procfs', { euid: 1000, capEff: null }, false],
  ])('%s -> %s', (_name, creds, ok) => {
    expect(canTraceWithEbpf(creds)).toBe(ok);
  });

  it('refuses with a one-line PermissionError', () => {
    expect(() => assertCanTraceWithEbpf({ euid: 1000, capEff: 0n })).toThrow(PermissionError);
    expect(() => assertCanTraceWithEbpf({ euid: 1000, capEff: 0n })).toThrow(
      'tracing with eBPF needs root (or CAP_BPF and CAP_PERFMON): run it with sudo',
    );
  });
});
