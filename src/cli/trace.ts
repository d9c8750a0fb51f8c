// `syscall-prof trace`: run a backend, then print the report.
import { selectBackend } from '../backends/select.js';
import { colorWanted, palette } from '../render/color.js';
import { renderJson } from '../render/json.js';
import { renderReport } from '../render/report.js';
import type { Io } from './io.js';
import { planTrace, type TraceFlags } from './trace-options.js';

// Runs the trace subcommand; returns the exit code.
export async function traceCommand(flags: TraceFlags, operands: readonly string[], io: Io): Promise<number> {
  const plan = planTrace(flags, operands);
  const profile = await selectBackend(plan.backend).trace(plan.request);
  io.stdout.write(
    plan.json
      ? renderJson(profile, plan.top)
      : renderReport(profile, { top: plan.top, palette: palette(colorWanted(io.stdout.isTTY, io.env)) }),
  );
  return 0;
}
