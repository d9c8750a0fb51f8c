// The Parquet capture layout: one row per call, typed columns (the CSV's, see
// csv-schema.ts, with real types: a TIMESTAMP(NANOS, UTC) instead of the
// decimal string, 64-bit integers for times, return values, arguments and
// positions, nulls for what is unknown), and the metadata and trailer in the
// file's key-value metadata under PARQUET_META_KEY, as the CSV sidecar's JSON
// (csv-sidecar.ts). The footer is written last, so a file cut short has none
// and is refused as a whole rather than read as a shorter capture.
import type { SchemaElement } from 'hyparquet';

// The key-value metadata entry that holds the capture's metadata.
export const PARQUET_META_KEY = 'syscall-prof';

// The magic bytes a Parquet file starts (and ends) with.
export const PARQUET_MAGIC = 'PAR1';

const required = (name: string, type: SchemaElement['type'], extra: Partial<SchemaElement> = {}): SchemaElement => ({
  name,
  type,
  repetition_type: 'REQUIRED',
  ...extra,
});
const optional = (name: string, type: SchemaElement['type'], extra: Partial<SchemaElement> = {}): SchemaElement => ({
  name,
  type,
  repetition_type: 'OPTIONAL',
  ...extra,
});
const UTF8: Partial<SchemaElement> = { converted_type: 'UTF8' };
const UINT64: Partial<SchemaElement> = { converted_type: 'UINT_64' };

// The columns, in order (the root element first, as Parquet wants).
export const PARQUET_COLUMNS: readonly SchemaElement[] = [
  required('timestamp', 'INT64', { logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } }),
  required('pid', 'INT32'),
  required('tid', 'INT32'),
  required('comm', 'BYTE_ARRAY', UTF8),
  required('syscall', 'BYTE_ARRAY', UTF8),
  required('duration_ns', 'INT64'),
  required('ret', 'INT64'),
  optional('errno', 'BYTE_ARRAY', UTF8),
  required('arg0', 'INT64', UINT64),
  required('arg1', 'INT64', UINT64),
  required('arg2', 'INT64', UINT64),
  required('arg3', 'INT64', UINT64),
  required('arg4', 'INT64', UINT64),
  required('arg5', 'INT64', UINT64),
  optional('pos', 'INT64'),
  optional('off_cpu_ns', 'INT64'),
  optional('runq_ns', 'INT64'),
  optional('path', 'BYTE_ARRAY', UTF8),
  // trace --stacks: the call's user stack as folded frames, outermost first (null: none taken)
  optional('stack', 'BYTE_ARRAY', UTF8),
];

// The whole schema: the root, then the columns.
export const PARQUET_SCHEMA: SchemaElement[] = [{ name: 'root', num_children: PARQUET_COLUMNS.length }, ...PARQUET_COLUMNS];

// The column names, in order.
export const PARQUET_COLUMN_NAMES: readonly string[] = PARQUET_COLUMNS.map((c) => c.name);

// Columns a capture may lack (written before they existed).
export const PARQUET_LATER_COLUMNS: ReadonlySet<string> = new Set(['stack']);
