import { describe, expect, it } from 'vitest';
import { parseKernelRelease, runEbpfChecks, type CheckInputs } from '../../../../src/core/backends/ebpf/doctor-checks.js';
import { FAKE_LOADER } from '../../../helpers/fake-loader.js';

const GOOD: CheckInputs = {
  credentials: { euid: 0, capEff: 0n },
  kernelRelease: '6.8.0-45-generic',
  btfPath: '/sys/kernel/btf/vmlinux',
  loader: FAKE_LOADER,
};

describe('eBPF doctor checks', () => {
  it.each([
    ['6.18.44-fc', [6, 18]],
    ['5.8.0', [5, 8]],
    ['weird', null],
  ])('parses kernel release %s', (text, version) => {
    expect(parseKernelRelease(text)).toEqual(version);
  });

  it('fails each check with a fix', () => {
    const checks = runEbpfChecks({
      credentials: { euid: 1000, capEff: 0n },
      kernelRelease: '5.4.0',
      btfPath: '/nonexistent/vmlinux',
      loader: '/nonexistent/loader',
    });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['privileges', false],
      ['kernel', false],
      ['btf', false],
      ['tracepoints', false],
      ['loader', false],
    ]);
    expect(checks.map((c) => c.fix)).toEqual([
      'run it with sudo (or grant CAP_BPF and CAP_PERFMON)',
      'upgrade to Linux 5.8 or later, or use another backend',
      'use a kernel built with CONFIG_DEBUG_INFO_BTF=y',
      expect.stringContaining('raw_syscalls'),
      'run `make build`',
    ]);
  });

  it('passes the version and loader checks with good inputs', () => {
    const byName = Object.fromEntries(runEbpfChecks(GOOD).map((c) => [c.name, c]));
    expect(byName['privileges']!.ok).toBe(true);
    expect(byName['kernel']!.ok).toBe(true);
    expect(byName['loader']!.ok).toBe(true);
    expect(runEbpfChecks({ ...GOOD, kernelRelease: '5.8.0' })[1]!.ok).toBe(true);
    expect(runEbpfChecks({ ...GOOD, kernelRelease: '5.7.19' })[1]!.ok).toBe(false);
  });
});
