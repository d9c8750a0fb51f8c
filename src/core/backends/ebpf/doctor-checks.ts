// Checks that eBPF tracing can work on this machine, each with what to do if not.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { loaderFix, loaderPath } from '../../paths.js';
import { canTraceWithEbpf, currentCredentials, type Credentials } from './privileges.js';

// The outcome of one check.
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  // what to do when it fails
  readonly fix: string | null;
}

// What the checks look at; tests substitute their own.
export interface CheckInputs {
  readonly credentials: Credentials;
  readonly kernelRelease: string;
  readonly btfPath: string;
  readonly loader: string;
}

// The oldest kernel with tp_btf programs and BPF ring buffers.
export const MIN_KERNEL: readonly [number, number] = [5, 8];

// This machine's inputs.
export function currentInputs(): CheckInputs {
  return { credentials: currentCredentials(), kernelRelease: release(), btfPath: '/sys/kernel/btf/vmlinux', loader: loaderPath() };
}

// Runs every check in a fixed order.
export function runEbpfChecks(inputs: CheckInputs = currentInputs()): CheckResult[] {
  return [privileges(inputs), kernel(inputs), btf(inputs), tracepoints(inputs), loaderBuilt(inputs)];
}

// "6.18.44-foo" -> [6, 18], or null.
export function parseKernelRelease(text: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(text);
  return m === null ? null : [Number(m[1]), Number(m[2])];
}

function privileges({ credentials }: CheckInputs): CheckResult {
  const ok = canTraceWithEbpf(credentials);
  const who = credentials.euid === 0 ? 'running as root' : `running as uid ${credentials.euid}`;
  return {
    name: 'privileges',
    ok,
    detail: ok ? `${who}, allowed to load BPF programs` : `${who} without CAP_BPF and CAP_PERFMON`,
    fix: ok ? null : 'run it with sudo (or grant CAP_BPF and CAP_PERFMON)',
  };
}

function kernel({ kernelRelease }: CheckInputs): CheckResult {
  const v = parseKernelRelease(kernelRelease);
  const ok = v !== null && (v[0] > MIN_KERNEL[0] || (v[0] === MIN_KERNEL[0] && v[1] >= MIN_KERNEL[1]));
  return {
    name: 'kernel',
    ok,
    detail: `Linux ${kernelRelease}${ok ? '' : `, older than ${MIN_KERNEL.join('.')} (tp_btf and ring buffers)`}`,
    fix: ok ? null : `upgrade to Linux ${MIN_KERNEL.join('.')} or later, or use another backend`,
  };
}

function btf({ btfPath }: CheckInputs): CheckResult {
  const ok = existsSync(btfPath);
  return {
    name: 'btf',
    ok,
    detail: ok ? `kernel BTF at ${btfPath}` : `no kernel BTF at ${btfPath}`,
    fix: ok ? null : 'use a kernel built with CONFIG_DEBUG_INFO_BTF=y',
  };
}

function tracepoints({ btfPath }: CheckInputs): CheckResult {
  let text: Buffer | null = null;
  try {
    text = readFileSync(btfPath);
  } catch {
    // reported below
  }
  const missing = ['btf_trace_sys_enter', 'btf_trace_sys_exit'].filter((name) => text === null || !text.includes(name));
  const ok = missing.length === 0;
  return {
    name: 'tracepoints',
    ok,
    detail: ok ? 'raw_syscalls sys_enter/sys_exit are in BTF' : text === null ? `cannot read ${btfPath}` : `${missing.join(', ')} missing from BTF`,
    fix: ok ? null : 'use a kernel with raw_syscalls tracepoints and BTF (CONFIG_FTRACE_SYSCALLS, CONFIG_DEBUG_INFO_BTF)',
  };
}

function loaderBuilt({ loader }: CheckInputs): CheckResult {
  let ok = true;
  try {
    accessSync(loader, constants.X_OK);
  } catch {
    ok = false;
  }
  return {
    name: 'loader',
    ok,
    detail: ok ? `loader at ${loader}` : `no executable loader at ${loader}`,
    fix: ok ? null : loaderFix(),
  };
}
