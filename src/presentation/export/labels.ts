// Which labels the exported syscall series carry, and label value escaping.

// Every label a syscall series can carry, in output order.
export const LABEL_NAMES = ['syscall', 'category', 'comm', 'cgroup', 'container', 'service'] as const;

// One of LABEL_NAMES.
export type LabelName = (typeof LABEL_NAMES)[number];

// The default set: bounded by the syscall table, whatever runs on the machine.
export const DEFAULT_LABELS: readonly LabelName[] = ['syscall', 'category'];

// Labels that need per-process statistics (and, for cgroup/container/service, /proc).
export const PROCESS_LABELS: ReadonlySet<LabelName> = new Set(['comm', 'cgroup', 'container', 'service']);

// The value every label takes in the series that absorbs label sets over --max-series.
export const OTHER = 'other';

// The comm of the series that holds calls not attributed to a process still in
// the snapshot: processes that exited between snapshots (and per-process drops).
export const EXITED = '(exited)';

// A label value escaped for the Prometheus text format: backslash, double quote, newline.
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

// HELP text escaped for the Prometheus text format: backslash and newline.
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
