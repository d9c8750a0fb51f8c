// Capture metadata: describing the target, and the filters as one line of text.
import type { StreamStart } from '../wire/event-types.js';
import type { CaptureMeta } from '../model/events.js';
import { parseListenPressure, type ListenPressure } from '../model/listen.js';
import { parseLoadLevel, type LoadLevel } from '../model/load.js';
import type { Target } from '../model/profile.js';

// The kernel filters of a capture.
export type CaptureFilters = CaptureMeta['filters'];

// No filters: every call.
export const NO_FILTERS: CaptureFilters = { syscalls: null, minDurationNs: 0, failedOnly: false };

// Capture metadata from what a stream's header says.
export function metaOfStart(start: StreamStart): CaptureMeta {
  return {
    backend: 'ebpf',
    arch: start.arch,
    target: describeCaptureTarget(start.target),
    startRealNs: start.startRealNs,
    durationNs: null,
    lostEvents: 0,
    filters: start.filters,
  };
}

// "command: make -j8", "pid 1234", "pids 1, 2", "all", "cgroup: /sys/fs/cgroup/x"; ", with children" when followed.
export function describeCaptureTarget(target: Target): string {
  const children = target.follow && target.kind !== 'all' ? ', with children' : '';
  switch (target.kind) {
    case 'all':
      return 'all';
    case 'pids':
      return `${target.pids.length === 1 ? 'pid' : 'pids'} ${target.pids.join(', ')}${children}`;
    case 'command':
      return `command: ${shellQuote(target.argv)}${children}`;
    case 'cgroup':
      return `cgroup: ${target.path}${children}`;
  }
}

// "syscalls=read,write min_duration_ns=100000 failed_only=false" ("syscalls=all" when unfiltered).
export function formatFilters(f: CaptureFilters): string {
  return `syscalls=${f.syscalls === null ? 'all' : f.syscalls.join(',')} min_duration_ns=${f.minDurationNs} failed_only=${f.failedOnly}`;
}

// The filters of formatFilters() text, or a string saying what is wrong.
export function parseFilters(text: string): CaptureFilters | string {
  const fields = new Map<string, string>();
  for (const part of text.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `expected key=value, got "${part}"`;
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const syscalls = fields.get('syscalls') ?? 'all';
  const min = fields.get('min_duration_ns') ?? '0';
  const failed = fields.get('failed_only') ?? 'false';
  if (!/^\d+$/.test(min)) return `min_duration_ns: expected a whole number of ns, got "${min}"`;
  if (failed !== 'true' && failed !== 'false') return `failed_only: expected true or false, got "${failed}"`;
  return {
    syscalls: syscalls === 'all' ? null : syscalls.split(',').filter((s) => s !== ''),
    minDurationNs: Number(min),
    failedOnly: failed === 'true',
  };
}

// an argv as a shell would need it typed (the renderers have their own; capture comes before them)
function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

// A trailer's load level (JSON text, or an already parsed value); a problem
// goes to `fail`, which throws the reader's own error (with file and line).
export function parseLoadText(text: string | unknown, fail: (detail: string) => Error): LoadLevel {
  let value: unknown = text;
  if (typeof text === 'string') {
    try {
      value = JSON.parse(text);
    } catch {
      throw fail('expected a JSON object');
    }
  }
  const load = parseLoadLevel(value);
  if (typeof load === 'string') throw fail(load);
  return load;
}

// A trailer's listen pressure (an already parsed value); a problem goes to `fail`.
export function parseListenText(value: unknown, fail: (detail: string) => Error): ListenPressure {
  const listen = parseListenPressure(value);
  if (typeof listen === 'string') throw fail(listen);
  return listen;
}
