// The CSV capture layout (see README "Capture files"): the header line, one row
// per call (plain RFC 4180); the metadata is in the sidecar (csv-sidecar.ts).
// Captures written before the sidecar have `# ` metadata lines before the
// header and `# ` trailer lines after the rows; they still read.

// The columns, in order.
export const CSV_COLUMNS = [
  'timestamp_ns',
  'pid',
  'tid',
  'comm',
  'syscall',
  'duration_ns',
  'ret',
  'errno',
  'arg0',
  'arg1',
  'arg2',
  'arg3',
  'arg4',
  'arg5',
  'pos',
  'off_cpu_ns',
  'runq_ns',
  'path',
  'stack',
] as const;

// The header line, exactly (without its newline).
export const CSV_HEADER = CSV_COLUMNS.join(',');

// The columns of captures written before stacks (still read).
export const CSV_COLUMNS_V2: readonly string[] = CSV_COLUMNS.filter((c) => c !== 'stack');

// Their header line.
export const CSV_HEADER_V2 = CSV_COLUMNS_V2.join(',');

// The columns of captures written before the on/off-CPU split (still read).
export const CSV_COLUMNS_V1: readonly string[] = CSV_COLUMNS_V2.filter((c) => c !== 'off_cpu_ns' && c !== 'runq_ns');

// Their header line.
export const CSV_HEADER_V1 = CSV_COLUMNS_V1.join(',');

// whether a CSV field must be quoted (RFC 4180: it holds a comma, quote, CR or LF)
function needsQuotes(text: string): boolean {
  return /[",\r\n]/.test(text);
}

// A field as RFC 4180 wants it: quoted with doubled quotes when needed.
export function csvField(text: string): string {
  return needsQuotes(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
