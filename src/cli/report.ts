// `syscall-prof report`: the Markdown report of a capture file, to stdout or a file.
import { reportModel } from '../analysis/report-model.js';
import { AtomicFile } from '../capture/atomic-file.js';
import { renderMarkdownReport } from '../render/markdown-report.js';
import { readCapture, type InputFlags } from './analyze-input.js';
import type { Io } from './io.js';

// `report` options as commander parses them.
export interface ReportFlags extends InputFlags {
  readonly output?: string;
  readonly top?: number;
}

// Shown after `report --help`.
export const REPORT_HELP_AFTER = `
The report (Markdown): what was traced and for how long, the syscall summary,
time by I/O category with the bottleneck marked (time spent waiting, such as
epoll_wait or futex, is shown apart), critical findings computed from the data
(a dominant syscall, latency clusters, frequent failures), and the latency
distributions of the three syscalls with the most time.

Without --output it goes to stdout. With --output the file is written under a
temporary name and renamed into place: an existing file is replaced only when
the whole report was written.

EXAMPLES
  syscall-prof report --input trace.csv --output report.md
  syscall-prof report --input trace.csv --top 10 | less
`;

// Runs the report subcommand; returns the exit code.
export async function reportCommand(flags: ReportFlags, io: Io): Promise<number> {
  const analysis = await readCapture(flags, io);
  const markdown = renderMarkdownReport(flags.input, analysis, reportModel(analysis, flags.top ?? null));
  if (flags.output === undefined) {
    io.stdout.write(markdown);
    return 0;
  }
  const file = new AtomicFile(flags.output);
  try {
    file.write(markdown);
  } catch (err) {
    file.abort();
    throw err;
  }
  file.commit();
  return 0;
}
