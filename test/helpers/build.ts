// Vitest global setup: generate the wire code from the proto and compile src/ to
// .output/dist so tests can spawn the real CLI.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Generates what src/ imports but git does not hold - the syscall tables
// (scripts/gen-syscalls.mjs) and the TS code from proto/syscall_prof.proto -
// with `make gen ts-gen`, then runs tsc once before any test file; a type
// error fails the run, unless SYSCALL_PROF_TSC_LENIENT=1 (several people
// editing one tree: tsc still emits, the errors are printed, and the tests of
// the finished parts can run).
export default function setup(): void {
  execFileSync('make', ['-s', 'gen', 'ts-gen'], { cwd: root, stdio: 'inherit' });
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  } catch (err) {
    if (process.env.SYSCALL_PROF_TSC_LENIENT !== '1') throw err;
  }
}
