// Running a tracing tool (perf trace, bpftrace) until its target ends, our
// duration runs out or the caller aborts; either of the last two stops it with
// SIGINT, the tools' own clean stop (they flush their output and exit 0).
import { execa, type Result } from 'execa';
import type { TraceRequest } from './types.js';

// How a tool run ended.
export interface ToolRun {
  readonly result: Result;
  readonly stopReason: 'duration' | 'signal' | 'target-exit';
  // its stderr ('' when none)
  readonly stderr: string;
  // set when the tool could not be started (e.g. ENOENT: not installed)
  readonly spawnCode: string | undefined;
  // whether it failed on its own account: not started, or a non-zero exit
  readonly failed: boolean;
}

// Runs `bin args` for the request: stdin inherited, the traced command's stdout
// where the request wants it, stderr captured and shown line by line, except
// lines matching `quiet` (a tool's warning on every run that means nothing).
export async function runTool(bin: string, args: readonly string[], request: TraceRequest, signal?: AbortSignal, quiet?: RegExp): Promise<ToolRun> {
  const child = execa(bin, args, {
    reject: false,
    stdin: 'inherit',
    stdout: request.commandStdout === 'stderr' ? 2 : 'inherit',
    stderr: 'pipe',
    killSignal: 'SIGINT',
    // as before: no SIGKILL while the tool writes out what it saw
    forceKillAfterDelay: false,
    ...(request.durationSec === null ? {} : { timeout: Math.max(1, Math.round(request.durationSec * 1000)) }),
    ...(signal === undefined ? {} : { cancelSignal: signal }),
  });
  let partial = '';
  const show = (line: string): void => {
    if (quiet === undefined || !quiet.test(line)) process.stderr.write(`${line}\n`);
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(show);
  });
  const result = await child;
  if (partial !== '') show(partial);
  const stopReason: ToolRun['stopReason'] = result.timedOut ? 'duration' : result.isCanceled ? 'signal' : 'target-exit';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const spawnCode = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  // these tools exit 0 whatever the traced command does (and on our SIGINT)
  const failed = spawnCode === 'ENOENT' || (result.exitCode !== undefined && result.exitCode !== 0);
  return { result, stopReason, stderr, spawnCode, failed };
}
