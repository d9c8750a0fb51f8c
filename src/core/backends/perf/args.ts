// Raw argument registers recovered from perf trace's decoded `name: value` pairs.
//
// perf prints arguments decoded (flags as names) and leaves out zero-valued
// ones, so only what maps back exactly is kept: the fd argument of fd calls
// (`fd: 4</path>`) and the dirfd of *at calls (`dfd: CWD`). Every other
// argument is 0. The `<path>` perf resolves for an fd becomes the event's path.
import { ARG_COUNT } from '../../model/events.js';
import { AT_FDCWD, dirfdArg, fdUse } from '../../model/fd-syscalls.js';

// The six registers (mostly 0) and the path perf showed for the fd, if any.
export interface PerfArgs {
  readonly args: bigint[];
  readonly path: string | null;
}

const FD_VALUE = /(?:^|, )(d?fd): (-?\d+|CWD)(?:<([^>]*)>)?/g;

// The registers perf's argument text gives back for one syscall.
export function perfArgs(syscall: string, text: string): PerfArgs {
  const args = new Array<bigint>(ARG_COUNT).fill(0n);
  if (text === '') return { args, path: null };
  const use = fdUse(syscall);
  const fdIndex = use !== null && use.kind === 'fd' ? use.arg : null;
  const dfdIndex = dirfdArg(syscall);
  let path: string | null = null;
  for (const m of text.matchAll(FD_VALUE)) {
    const value = m[2] === 'CWD' ? AT_FDCWD : Number(m[2]);
    const index = m[1] === 'fd' ? fdIndex : dfdIndex;
    if (index === null) continue;
    args[index] = BigInt.asUintN(64, BigInt(value));
    // a dirfd's path is the directory, not the file the call is about
    if (m[1] === 'fd' && m[3] !== undefined && m[3] !== '') path ??= m[3];
  }
  return { args, path };
}
