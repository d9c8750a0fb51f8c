// `syscall-prof doctor`: can eBPF tracing work here, and if not, what to do.
import { runEbpfChecks } from '../core/backends/ebpf/doctor-checks.js';
import { colorWanted, palette } from '../presentation/render/color.js';
import { renderChecks, renderChecksJson } from '../presentation/render/doctor.js';
import type { Io } from './io.js';

// Runs every check; exit code 0 when all pass, 1 otherwise.
export function doctorCommand(flags: { readonly json?: boolean }, io: Io): number {
  const checks = runEbpfChecks();
  io.stdout.write(flags.json === true ? renderChecksJson(checks) : renderChecks(checks, palette(colorWanted(io.stdout.isTTY, io.env))));
  return checks.every((c) => c.ok) ? 0 : 1;
}
