// Running the built CLI (bin/syscall-prof.js) as a child process.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

// Path of the installed entry point.
export const BIN = fileURLToPath(new URL('../../bin/syscall-prof.js', import.meta.url));

// What a CLI run printed and returned.
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Runs the CLI with a clean environment plus `env`; `user` runs it as another uid/gid (needs root).
export async function runBuiltCli(args: readonly string[], env: Record<string, string> = {}, user?: number): Promise<CliResult> {
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1' };
  const result = await execa(process.execPath, [BIN, ...args], {
    env: { ...base, ...env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    timeout: 30_000,
    ...(user === undefined ? {} : { uid: user, gid: user }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
