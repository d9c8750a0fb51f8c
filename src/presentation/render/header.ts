// The block above the summary table: what was traced, for how long, and what went wrong.
import { totals } from '../../core/analysis/totals.js';
import type { Profile } from '../../core/model/profile.js';
import type { Palette } from './color.js';
import { describeExit, describeStop, describeTarget } from './describe.js';
import { healthWarnings } from './health.js';
import { formatBytes, formatCount, formatDuration, formatPercent } from './units.js';

// Title of the text report.
export const REPORT_TITLE = 'Syscall Profiling Report';

// Header lines of the text report.
export function renderHeader(profile: Profile, p: Palette): string[] {
  const t = totals(profile);
  const fields: Array<[string, string]> = [describeTarget(profile)];
  fields.push(['Backend', profile.backend]);
  fields.push(['Started', profile.startedAt.toISOString()]);
  fields.push(['Duration', formatDuration(profile.durationNs)]);
  const errors = t.errors > 0 ? ` (${formatCount(t.errors)} error${t.errors === 1 ? '' : 's'})` : '';
  const rate = t.callsPerSecond === null ? '' : `, ${formatCount(t.callsPerSecond)}/s`;
  fields.push(['Total syscalls', `${formatCount(t.calls)}${errors}${rate}`]);
  const period = profile.samplePeriod ?? 1;
  if (period > 1) {
    const timed = profile.syscalls.reduce((n, s) => n + (s.timedCalls ?? s.count), 0);
    fields.push(['Sampled', `1 call in ${formatCount(period)} timed (${formatCount(timed)}); every call counted`]);
  }
  if (profile.processes.length > 1) fields.push(['Processes', formatCount(profile.processes.length)]);
  if (profile.exit !== null) fields.push(['Exit status', describeExit(profile.exit)]);
  if (profile.stopReason !== null) fields.push(['Stopped', describeStop(profile.stopReason)]);
  const cost = describeCost(profile);
  if (cost !== null) fields.push(['Profiler cost', cost]);

  const width = Math.max(...fields.map(([label]) => label.length)) + 2;
  const lines = [p.strong(REPORT_TITLE), p.dim('═'.repeat(52))];
  for (const [label, value] of fields) lines.push(`${`${label}:`.padEnd(width)}${value}`);

  const warnings = healthWarnings(profile.health);
  if (warnings.length > 0) {
    lines.push('', p.warn('Warnings:'));
    for (const w of warnings) lines.push(p.warn(`  ! ${w}`));
  }
  if (profile.inFlight.length > 0) {
    lines.push('', 'In flight when tracing stopped:');
    for (const f of profile.inFlight) {
      const comm = profile.processes.find((proc) => proc.tgid === f.tgid)?.comm;
      const who = `PID ${f.tgid}${comm ? ` (${comm})` : ''}${f.tid !== f.tgid ? ` TID ${f.tid}` : ''}`;
      lines.push(`  ${f.syscall} in ${who}, running for ${formatDuration(f.ageNs)}`);
    }
  }
  return lines;
}

// "97 ns per run of 2 programs, 0.4% of one CPU; maps 4.2 MiB", or null when unknown.
function describeCost(profile: Profile): string | null {
  const { programs, memoryBytes, enabled, windowNs } = profile.cost;
  const parts: string[] = [];
  const ns = programs.reduce((n, c) => n + c.runTimeNs, 0);
  const runs = programs.reduce((n, c) => n + c.runCount, 0);
  if (enabled && runs > 0) {
    const window = windowNs ?? profile.durationNs;
    const share = window > 0 ? `, ${formatPercent(ns / window)} of one CPU` : '';
    parts.push(`${formatDuration(ns / runs)} per run of ${programs.length} programs${share}`);
  }
  if (memoryBytes !== null) parts.push(`maps ${formatBytes(memoryBytes)}`);
  return parts.length === 0 ? null : parts.join('; ');
}
