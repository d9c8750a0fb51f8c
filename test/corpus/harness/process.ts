// Starting real programs for the corpus with a bounded lifetime, and waiting
// for them: every wait has a deadline, every child is killed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

// A started program: its process and what it printed so far.
export interface Started {
  readonly child: ChildProcess;
  // stdout alone
  stdout(): string;
  // stdout and stderr as they came (the last 64 KiB), for error messages
  output(): string;
}

// Options for start().
export interface StartOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  // run as this user (by name), through setpriv (which execs: no process in between)
  readonly user?: string;
}

// argv run as `user` (its uid, gid and groups).
export function asUser(user: string, argv: readonly string[]): string[] {
  return ['setpriv', '--reuid', user, '--regid', user, '--init-groups', '--', ...argv];
}

// Starts argv (as `user` when given), collecting its stdout and stderr.
export function start(argv: readonly string[], opts: StartOptions = {}): Started {
  const full = opts.user === undefined ? [...argv] : asUser(opts.user, argv);
  const child = spawn(full[0]!, full.slice(1), {
    cwd: opts.cwd,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', LANG: 'C.UTF-8', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const out: Buffer[] = [];
  const keep = (b: Buffer): void => {
    text = (text + b.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout!.on('data', (b: Buffer) => {
    out.push(b);
    keep(b);
  });
  child.stderr!.on('data', keep);
  return { child, stdout: () => Buffer.concat(out).toString('utf8'), output: () => text };
}

// Waits for a child to exit (at most `ms`, then SIGKILL) and returns its exit code.
export function finished(s: Started, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    if (s.child.exitCode !== null) return resolve(s.child.exitCode);
    const timer = setTimeout(() => {
      s.child.kill('SIGKILL');
      reject(new Error(`${String(s.child.spawnargs.join(' '))} ran over ${ms} ms; output:\n${s.output()}`));
    }, ms);
    s.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal === null ? -1 : 128));
    });
  });
}

// Runs argv to its end (at most `ms`), failing with its output when it exits
// non-zero; returns its stdout.
export async function run(argv: readonly string[], ms: number, opts: StartOptions = {}): Promise<string> {
  const s = start(argv, opts);
  const code = await finished(s, ms);
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}:\n${s.output()}`);
  return s.stdout();
}

// Polls `cond` every 50 ms until it holds, failing after `ms` with `what`.
export async function waitUntil(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A TCP port free on 127.0.0.1 right now.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Whether something accepts connections on 127.0.0.1:port.
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
