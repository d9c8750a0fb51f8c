// The text report: header block, then the syscall summary table.
import { syscallRows } from '../analysis/syscall-rows.js';
import { topRows } from '../analysis/top.js';
import type { Profile } from '../model/profile.js';
import type { Palette } from './color.js';
import { renderHeader } from './header.js';
import { renderSyscallTable } from './syscall-table.js';

// How to render the report.
export interface ReportOptions {
  // rows to show; null for all
  readonly top: number | null;
  readonly palette: Palette;
}

// The whole text report, ending with a newline.
export function renderReport(profile: Profile, options: ReportOptions): string {
  const rows = syscallRows(profile.syscalls).filter((r) => r.count > 0);
  const { rows: shown, omitted } = topRows(rows, options.top);
  const subBits = profile.syscalls[0]?.histogram.layout.subBits;
  const table = renderSyscallTable(
    shown,
    { omitted, percentileError: subBits === undefined ? null : 2 ** -subBits },
    options.palette,
  );
  return [...renderHeader(profile, options.palette), '', ...table].join('\n') + '\n';
}
