// Making sure tracefs is mounted before perf or bpftrace needs tracepoint formats.
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { BackendError } from '../../errors.js';

const TRACEFS = '/sys/kernel/tracing';

// Mounts tracefs at /sys/kernel/tracing when it is not and we are root, saying
// so on stderr; returns whether it mounted. Not root and not mounted: the tool's
// own error will say it.
export async function ensureTracefs(say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<boolean> {
  if (existsSync(`${TRACEFS}/events`)) return false;
  if (process.geteuid?.() !== 0) return false;
  try {
    await execa('mount', ['-t', 'tracefs', 'nodev', TRACEFS]);
  } catch (err) {
    throw new BackendError(`tracefs is not mounted and mounting it failed: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  say(`mounted tracefs at ${TRACEFS} (tracepoints need it)`);
  return true;
}
