// The header lines of the live view: target, uptime, rates, losses, profiler cost.
import { formatCount, formatDuration, formatPercent, formatRate } from '../../render/units.js';
import { shortContainerId } from '../../../core/system/cgroup.js';
import type { LiveFrame } from './interval.js';

// One header fact and how it should look.
export interface HeaderPart {
  readonly text: string;
  readonly tone: 'plain' | 'ok' | 'warn' | 'bad' | 'dim';
}

// "1m02s", "3h04m", "12s".
export function formatUptime(ns: number): string {
  const s = Math.floor(ns / 1e9);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

// The two header lines as parts: what and how long; then rates, losses and cost.
export function headerParts(frame: LiveFrame, intervalMs: number): [HeaderPart[], HeaderPart[]] {
  const first: HeaderPart[] = [
    // first: a cgroup's directory is long and the line is cut at the terminal's width
    ...cgroupParts(frame),
    { text: frame.targetText, tone: 'plain' },
    { text: `up ${formatUptime(frame.uptimeNs)}`, tone: 'dim' },
    { text: `interval ${formatDuration(frame.final ? frame.intervalNs : intervalMs * 1e6)}`, tone: 'dim' },
    { text: frame.backend, tone: 'dim' },
    // times and percentiles are estimates from the timed calls; counts are exact
    ...((frame.samplePeriod ?? 1) > 1 ? [{ text: `~ timed 1 call in ${formatCount(frame.samplePeriod!)}`, tone: 'warn' as const }] : []),
  ];
  const cost = frame.costShare;
  const second: HeaderPart[] = [
    { text: `${formatRate(frame.callsPerSec)} syscalls/s`, tone: 'plain' },
    { text: `${formatRate(frame.errorsPerSec)} errors/s`, tone: frame.errors > 0 ? 'warn' : 'plain' },
    {
      text: `lost ${formatCount(frame.lostEvents)}${frame.lostEventsDelta > 0 ? ` (+${formatCount(frame.lostEventsDelta)})` : ''}`,
      tone: frame.lostEvents > 0 ? 'bad' : 'ok',
    },
    {
      text: cost === null ? 'profiler cost: n/a' : `profiler ${formatPercent(cost)} of a CPU (BPF)`,
      tone: cost === null ? 'dim' : cost > 0.1 ? 'bad' : cost > 0.02 ? 'warn' : 'ok',
    },
    { text: `${formatCount(frame.processes.filter((p) => !p.gone).length)} procs`, tone: 'dim' },
  ];
  return [first, second];
}

// What a --cgroup target is: its container (short id) or systemd service.
function cgroupParts(frame: LiveFrame): HeaderPart[] {
  const c = frame.cgroup;
  if (c === null) return [];
  if (c.containerId !== null) return [{ text: `container ${shortContainerId(c.containerId)}`, tone: 'plain' }];
  return c.service === null ? [] : [{ text: `service ${c.service}`, tone: 'plain' }];
}

// The header as plain lines.
export function headerLines(frame: LiveFrame, intervalMs: number): string[] {
  return headerParts(frame, intervalMs).map((parts) => parts.map((p) => p.text).join('  '));
}
