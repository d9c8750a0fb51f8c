// The capture options of `trace` (--output and its event filters), added to the
// trace command that program.ts defines.
import { Option, type Command } from 'commander';
import { CAPTURE_FORMATS } from '../core/capture/format.js';
import { parseDurationNs, parseRingbufMb, parseSyscallList } from './trace-parsers.js';

// Shown after `trace --help`, below the general help.
export const TRACE_CAPTURE_HELP_AFTER = `
CAPTURE FILES
With --output every completed call is recorded (the kernel streams them through
a ring buffer) into a CSV, JSON lines, spb or Parquet file (chosen by the
extension, or --format); at the end a short summary goes to stderr: rows
written, records lost, file and size. Parquet has typed columns (timestamp as
TIMESTAMP(NANOS), 64-bit integers, nulls for unknowns) and the metadata in the
file itself; it is several times smaller than CSV and opens in DuckDB, pandas
and polars with no options. Records the ring
buffer had no room for are counted and reported, never silently dropped: raise
--ringbuf-mb, or record fewer calls with --syscalls, --min-duration or --failed.
The file is written as FILE.tmp-PID and renamed at the end: a failed run leaves
an existing FILE untouched.

Options go before "--": everything after it is the command and its arguments,
so in "trace -- ls --output x" the --output is an argument of ls.

  sudo syscall-prof trace --output trace.csv -- ./server --port 8080
  sudo syscall-prof trace --pid 1234 --duration 60 --output db.csv
  sudo syscall-prof trace --command "make -j8" --output build.jsonl
  sudo syscall-prof trace --syscalls read,write,fsync --min-duration 100us --output slow.csv -- ./db
  sudo syscall-prof trace --failed --output errors.csv -- ./app
  sudo syscall-prof trace --ringbuf-mb 256 --output all.spb --all --duration 5
  sudo syscall-prof trace --pid 1234 --duration 60 --output db.parquet
  syscall-prof analyze --input trace.csv --top 10
`;

// Adds --format, --syscalls, --min-duration, --failed and --ringbuf-mb to the
// trace command (which defines --output).
export function addCaptureOptions(trace: Command): Command {
  return trace
    .addOption(new Option('-f, --format <format>', 'capture format (default: from the file extension, else csv)').choices(CAPTURE_FORMATS))
    .option('--syscalls <names>', 'capture only these syscalls, comma-separated (e.g. read,write,fsync)', parseSyscallList)
    .option('--min-duration <time>', 'capture only calls at least this slow (500ns, 100us, 1.5ms, 2s)', parseDurationNs)
    .option('--failed', 'capture only calls that returned an error')
    .option('--ringbuf-mb <n>', 'kernel ring buffer for captured calls, MiB, a power of two 1-1024 (default 16)', parseRingbufMb)
    .addHelpText('after', TRACE_CAPTURE_HELP_AFTER);
}
