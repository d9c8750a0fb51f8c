// `syscall-prof trace`: run a backend, then print the report (or, with --output,
// write every call to a capture file and print a short summary on stderr).
import { selectBackend } from '../core/backends/select.js';
import type { Profile } from '../core/model/profile.js';
import { colorWanted, palette } from '../presentation/render/color.js';
import { renderJson } from '../presentation/render/json.js';
import { renderReport } from '../presentation/render/report.js';
import type { Io } from './io.js';
import { abortOnStopSignals } from './stop-signals.js';
import { captureTrace } from './trace-capture.js';
import { planTrace, type TraceFlags, type TracePlan } from './trace-options.js';
import { captureSummary } from './trace-summary.js';

// The capture options, for program.ts to add to the trace command.
export { addCaptureOptions } from './trace-capture-options.js';

// Runs the trace subcommand; returns the exit code.
export async function traceCommand(flags: TraceFlags, operands: readonly string[], io: Io): Promise<number> {
  const plan = planTrace(flags, operands);
  for (const w of plan.warnings) io.stderr.write(`syscall-prof: ${w}\n`);
  // Ctrl-C or SIGTERM stops the trace; what was traced is still reported
  const stop = new AbortController();
  const unlisten = abortOnStopSignals(stop);
  try {
    if (plan.capture !== null) {
      const result = await captureTrace(plan, plan.capture, { signal: stop.signal });
      if (plan.json) io.stdout.write(renderJson(result.profile, plan.top));
      io.stderr.write(captureSummary(result));
      return 0;
    }
    const backend = selectBackend(plan.backend, (line) => io.stderr.write(`syscall-prof: ${line}\n`));
    const profile = await backend.trace(plan.request, { signal: stop.signal });
    print(profile, plan, io);
    return 0;
  } finally {
    unlisten();
  }
}

// The report (or JSON) of a finished trace on stdout.
function print(profile: Profile, plan: TracePlan, io: Io): void {
  io.stdout.write(
    plan.json
      ? renderJson(profile, plan.top)
      : renderReport(profile, { top: plan.top, palette: palette(colorWanted(io.stdout.isTTY, io.env)) }),
  );
}
