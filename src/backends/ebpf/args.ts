// The loader's command line for a trace request.
import type { TraceRequest } from '../types.js';

// The traced command's stdout is passed to the loader as this fd.
export const CHILD_STDOUT_FD = 3;

// Loader arguments for a request (see the loader's --help).
export function loaderArgs(request: TraceRequest): string[] {
  const args: string[] = [];
  const { target } = request;
  if (target.kind === 'all') args.push('--all');
  // system-wide or by cgroup, we would otherwise trace ourselves
  if (target.kind === 'all' || target.kind === 'cgroup') args.push('--exclude-pid', String(process.pid));
  if (target.kind === 'pids') for (const pid of target.pids) args.push('--pid', String(pid));
  if (target.kind === 'cgroup') args.push('--cgroup', target.path);
  if (request.follow && target.kind !== 'all') args.push('--follow');
  if (request.intervalMs !== null) args.push('--interval', String(request.intervalMs));
  if (request.durationSec !== null) args.push('--duration', String(request.durationSec));
  if (target.kind === 'command') {
    if (request.commandStdout === 'inherit') args.push('--child-stdout-fd', String(CHILD_STDOUT_FD));
    args.push('--', ...target.argv);
  }
  return args;
}
