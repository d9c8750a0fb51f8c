// Rule process-startup: processes spend a real share of the time starting.
//
// Start-up is a phase, not a list of findings about ld.so.cache or libraries
// (facts/startup-facts.ts follows each exec through the dynamic loader's
// work). Fires when several processes started (one start is a fixed cost of
// running the program, nothing to act on) and their start-up took at least
// STARTUP_MIN_SHARE of the threads' time, or when at least STARTUP_MIN_STARTS
// processes started. Needs per-call facts.
//
// Saving: a program started again and again (a compiler per file, a shell per
// line) would start once if it stayed up or did the work in one process; every
// start after a program's first costs its average start-up:
// sum over programs of (starts - 1) x (its start-up time / starts).
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';

// Start-up is worth a finding from this share of the threads' time...
export const STARTUP_MIN_SHARE = 0.02;
// ...or from this many processes started.
export const STARTUP_MIN_STARTS = 10;
// programs listed
export const STARTUP_PROGRAMS_SHOWN = 3;

// A process-startup finding: the programs started most, with their numbers.
export type ProcessStartupFinding = Finding<
  'process-startup',
  { readonly programs: readonly { readonly comm: string; readonly starts: number; readonly avgNs: number; readonly libraries: number }[]; readonly otherPrograms: number },
  {
    readonly starts: number;
    readonly totalNs: number;
    readonly avgNs: number;
    readonly syscallNs: number;
    readonly librariesPerStart: number;
    readonly failedExecs: number;
    readonly wallShare: number | null;
    // starts after each program's first
    readonly repeatedStarts: number;
  }
>;

// Processes starting: the start-up phase in total and per program.
export function processStartup(ctx: FindingContext): ProcessStartupFinding[] {
  const st = ctx.facts?.startup;
  if (st === undefined || st.starts < 2) return [];
  const share = wallShare(ctx, st.totalNs);
  if (st.starts < STARTUP_MIN_STARTS && (share === null || share < STARTUP_MIN_SHARE)) return [];
  const repeatedStarts = st.programs.reduce((n, p) => n + p.starts - 1, 0);
  const savingNs = st.programs.reduce((n, p) => n + (p.starts - 1) * (p.totalNs / p.starts), 0);
  const shown = [...st.programs].sort((a, b) => b.starts - a.starts || b.totalNs - a.totalNs).slice(0, STARTUP_PROGRAMS_SHOWN);
  return [
    finding<ProcessStartupFinding>(ctx, {
      rule: 'process-startup',
      syscall: 'execve',
      subject: {
        programs: shown.map((p) => ({ comm: p.comm, starts: p.starts, avgNs: p.totalNs / p.starts, libraries: p.libraries / p.starts })),
        otherPrograms: st.programs.length - shown.length,
      },
      metrics: {
        starts: st.starts,
        totalNs: st.totalNs,
        avgNs: st.totalNs / st.starts,
        syscallNs: st.syscallNs,
        librariesPerStart: st.libraries / st.starts,
        failedExecs: st.failedExecs,
        wallShare: share,
        repeatedStarts,
      },
      savingNs,
    }),
  ];
}

// The rule's registry entry.
export const PROCESS_STARTUP: FindingRule<ProcessStartupFinding> = { id: 'process-startup', generic: false, run: processStartup };
