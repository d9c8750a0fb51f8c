// Tracing a corpus program the way a user would: `syscall-prof trace --output`
// on a command or a cgroup, then `report --json` on the capture.
import { join } from 'node:path';
import { loaderProgramIds } from '../../helpers/loader-programs.js';
import { cli } from '../../helpers/kernel.js';
import type { Cgroup } from './cgroup.js';
import { finished, run, start, waitUntil, type Started } from './process.js';

// What one traced run left: the capture, the CLI's stderr, and the report.
export interface Traced {
  readonly capture: string;
  readonly traceOutput: string;
  readonly report: ReportJson;
}

// The parts of `report --json` the corpus reads (see README, "report --json").
export interface ReportJson {
  readonly summary: { readonly durationNs: number | null; readonly calls: number; readonly cpuNs: number | null };
  readonly verdict: { readonly kind: string; readonly summary: string; readonly capacityNs: number | null; readonly threads: number };
  readonly categories: readonly { readonly category: string; readonly waiting: boolean; readonly bottleneck?: boolean; readonly totalNs: number; readonly share: number | null }[];
  readonly findings: readonly ReportFinding[];
}

// One finding as the corpus reads it.
export interface ReportFinding {
  readonly rule: string;
  readonly syscall: string | null;
  readonly alsoAbout?: readonly string[];
  readonly severity: string;
  readonly savingNs: number;
  readonly savingShare: number | null;
  readonly title?: string;
}

const NODE = process.execPath;

// `report --json` of a capture.
export async function reportOf(capture: string): Promise<ReportJson> {
  const out = await run([NODE, cli, 'report', '--input', capture, '--json'], 120_000);
  return JSON.parse(out) as ReportJson;
}

// Traces argv run by the CLI itself (`trace --output F -- argv`), in cwd; with
// `command`, the string the way the spec runs it (`trace --command "STRING"`).
export async function traceCommand(dir: string, argv: readonly string[], opts: { cwd?: string; ms?: number; command?: string } = {}): Promise<Traced> {
  const capture = join(dir, 'capture.csv');
  const target = opts.command === undefined ? ['--', ...argv] : ['--command', opts.command];
  const tracer = start([NODE, cli, 'trace', '--output', capture, ...target], { cwd: opts.cwd ?? dir });
  const code = await finished(tracer, opts.ms ?? 120_000);
  if (code !== 0) throw new Error(`trace exited ${code}:\n${tracer.output()}`);
  const traceOutput = tracer.output();
  return { capture, traceOutput, report: await reportOf(capture) };
}

// Traces everything in a cgroup while `work` runs: starts `trace --cgroup`,
// waits until its loader has attached, runs `work`, then stops the trace with
// SIGINT (as Ctrl-C would) and reads the report.
export async function traceCgroupWhile(dir: string, cg: Cgroup, work: () => Promise<void>, maxSec = 60): Promise<Traced> {
  const capture = join(dir, 'capture.csv');
  const tracer: Started = start([NODE, cli, 'trace', '--cgroup', cg.path, '--duration', String(maxSec), '--output', capture]);
  try {
    // attached once the loader holds its programs; the links follow at once
    await waitUntil(() => tracer.child.exitCode !== null || loaderProgramIds(tracer.child.pid!).length > 0, 30_000, 'the loader to load its programs');
    if (tracer.child.exitCode !== null) throw new Error(`trace exited early (${tracer.child.exitCode}):\n${tracer.output()}`);
    await new Promise((r) => setTimeout(r, 500));
    await work();
  } finally {
    tracer.child.kill('SIGINT');
  }
  const code = await finished(tracer, 60_000);
  if (code !== 0) throw new Error(`trace exited ${code}:\n${tracer.output()}`);
  return { capture, traceOutput: tracer.output(), report: await reportOf(capture) };
}
