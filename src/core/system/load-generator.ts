// The load generator of `sweep`: stress-ng (Debian's stress-ng) with as many
// workers as a level says, in its own process group, bounded by its own
// --timeout so it can never outlive the sweep, stopped and reaped by us.
import { spawn, type ChildProcess } from 'node:child_process';

// Which resource the workers load.
export type StressKind = 'cpu' | 'io' | 'vm' | 'mixed';

// The kinds, for option parsing.
export const STRESS_KINDS: readonly StressKind[] = ['cpu', 'io', 'vm', 'mixed'];

// What to start.
export interface LoadRequest {
  readonly kind: StressKind;
  readonly workers: number;
  // where io workers write their files (a private temporary folder)
  readonly tempDir: string;
  // stress-ng stops itself after this long even if we never stop it
  readonly timeoutSec: number;
}

// A running load generator.
export interface RunningLoad {
  readonly argv: readonly string[];
  // Stops the workers and waits for them to be gone.
  stop(): Promise<void>;
}

// The stress-ng arguments of a request: cpu spins, io writes and syncs files
// (--hdd), vm touches memory (--vm, 256 MiB per worker), mixed splits the
// workers across the three (cpu first).
export function stressArgv(r: LoadRequest): string[] {
  return ['stress-ng', '--timeout', `${Math.ceil(r.timeoutSec)}s`, '--quiet', '--temp-path', r.tempDir, ...workerArgs(r)];
}

// The load as a reader wants it: "stress-ng --cpu 2" (without the bookkeeping options).
export function describeLoad(r: Pick<LoadRequest, 'kind' | 'workers'>): string {
  return ['stress-ng', ...workerArgs(r)].join(' ');
}

function workerArgs(r: Pick<LoadRequest, 'kind' | 'workers'>): string[] {
  const cpu = (n: number): string[] => (n > 0 ? ['--cpu', String(n)] : []);
  const io = (n: number): string[] => (n > 0 ? ['--hdd', String(n), '--hdd-bytes', '64m'] : []);
  const vm = (n: number): string[] => (n > 0 ? ['--vm', String(n), '--vm-bytes', '256m'] : []);
  switch (r.kind) {
    case 'cpu':
      return cpu(r.workers);
    case 'io':
      return io(r.workers);
    case 'vm':
      return vm(r.workers);
    case 'mixed': {
      const third = Math.floor(r.workers / 3);
      const rest = r.workers - 2 * third;
      return [...cpu(rest), ...io(third), ...vm(third)];
    }
  }
}

// Starts the workers; rejects with a readable message when stress-ng cannot
// start (not installed: apt-get install stress-ng) or exits at once.
export async function startLoad(r: LoadRequest): Promise<RunningLoad> {
  const argv = stressArgv(r);
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failed = new Promise<Error>((resolve) => child.once('error', resolve));
  // started when it is still running a moment later
  const outcome = await Promise.race([
    failed.then((e) => ({ kind: 'error' as const, e })),
    exited.then((code) => ({ kind: 'exit' as const, code })),
    new Promise<{ kind: 'running' }>((resolve) => setTimeout(() => resolve({ kind: 'running' }), 300)),
  ]);
  if (outcome.kind === 'error') {
    const e = outcome.e as NodeJS.ErrnoException;
    throw new Error(e.code === 'ENOENT' ? 'stress-ng is not installed (Debian: apt-get install stress-ng)' : `cannot start stress-ng: ${e.message}`);
  }
  if (outcome.kind === 'exit') throw new Error(`stress-ng exited at once (status ${outcome.code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  return { argv, stop: () => stopGroup(child, exited) };
}

// SIGTERM to the whole group (stress-ng's workers are its children), SIGKILL if it lingers.
async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    signal('SIGKILL');
    return;
  }
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  // workers that outlived their parent
  signal('SIGKILL');
}
