// The words of process-startup.
import type { ProcessStartupFinding } from '../../../core/analysis/rules/process-startup.js';
import { formatCount, formatDuration } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// Processes starting, as a phase.
export function processStartupText(f: ProcessStartupFinding): FindingText {
  const m = f.metrics;
  const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;
  const programs = f.subject.programs.map((p) => `${p.comm} ${plural(p.starts, 'time')}, ${formatDuration(p.avgNs)} each`).join('; ');
  const others = f.subject.otherPrograms > 0 ? `; ${plural(f.subject.otherPrograms, 'other program')}` : '';
  return {
    title: `${plural(m.starts, 'process', 'processes')} spent ${formatDuration(m.totalNs)} starting, ${formatDuration(m.avgNs)} each`,
    evidence: [
      `From each execve to the end of the dynamic loader's work: ${formatDuration(m.totalNs)}${ofWall(m.wallShare)}, ${formatDuration(m.syscallNs)} of it in syscalls; ${m.librariesPerStart.toFixed(1)} shared libraries loaded per start`,
      `Started: ${programs}${others}`,
      ...(m.failedExecs > 0 ? [`${plural(m.failedExecs, 'execve')} failed first: execvp trying each $PATH directory in turn`] : []),
    ],
    why: 'Starting a process maps the program, finds and loads each shared library (the ld.so.cache lookup, an open, a read of its header, mmaps and mprotects per library) and relocates them before main() runs. Those opens of ld.so.cache and the libraries are this phase, not files the program keeps reopening.',
    recommendation:
      m.repeatedStarts > 0
        ? [
            `${plural(m.repeatedStarts, 'start')} repeated a program already started: do the work in fewer processes (one process for many inputs, a persistent worker or server, xargs -n with larger batches, a shell builtin instead of a command)`,
            'Fewer shared libraries start faster (static linking, -Wl,--as-needed); a full PATH search costs a failed execve per directory: put the common directory first',
          ]
        : ['Start-up is a fixed cost of running this program: it matters when the program is run many times (then keep one process running) or runs only briefly'],
  };
}
