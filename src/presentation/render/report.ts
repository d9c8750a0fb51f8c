// The text report: header block, the syscall summary table, then the TCP connections when any.
import { cpuSplit, cpuSplitSummary, type CpuSplit } from '../../core/analysis/cpu-split.js';
import { syscallRows, type SyscallRow } from '../../core/analysis/syscall-rows.js';
import { tcpRows } from '../../core/analysis/tcp-rows.js';
import { topRows } from '../../core/analysis/top.js';
import type { Profile } from '../../core/model/profile.js';
import type { Palette } from './color.js';
import { cpuSummaryText } from './cpu-split-text.js';
import { renderHeader } from './header.js';
import { renderIoUringTable } from './io-uring-table.js';
import { renderSyscallTable } from './syscall-table.js';
import { renderTcpBlock } from './tcp-text.js';
import { stackSections } from '../../core/analysis/stacks.js';
import { renderStacksBlock } from './stacks-text.js';

// How to render the report.
export interface ReportOptions {
  // rows to show; null for all
  readonly top: number | null;
  readonly palette: Palette;
}

// The whole text report, ending with a newline.
export function renderReport(profile: Profile, options: ReportOptions): string {
  const period = profile.samplePeriod ?? 1;
  const rows = syscallRows(profile.syscalls, period).filter((r) => r.count > 0);
  const { rows: shown, omitted } = topRows(rows, options.top);
  const subBits = profile.syscalls[0]?.histogram.layout.subBits;
  const table = renderSyscallTable(
    shown,
    { omitted, percentileError: subBits === undefined ? null : 2 ** -subBits, samplePeriod: period },
    options.palette,
  );
  const inside = insideLine(rows, options.palette);
  // not traced: the loader has said why on stderr already
  const uring = profile.ioUring?.traced === true ? renderIoUringTable(profile.ioUring, options.palette) : [];
  const tcp = renderTcpBlock(tcpRows(profile), options.palette);
  const stacks = profile.stacks == null ? [] : renderStacksBlock(stackSections(profile.stacks), profile.stacks.health, options.palette);
  return (
    [
      ...renderHeader(profile, options.palette),
      '',
      ...table,
      ...(inside === null ? [] : ['', inside]),
      ...(uring.length === 0 ? [] : ['', ...uring]),
      ...(tcp.length === 0 ? [] : ['', ...tcp]),
      ...(stacks.length === 0 ? [] : ['', ...stacks]),
    ].join('\n') + '\n'
  );
}

// "Inside syscalls: ..." from the on/off-CPU split, when the backend measured it.
function insideLine(rows: readonly SyscallRow[], p: Palette): string | null {
  const splits = rows.map((r) => cpuSplit(r.name, r.totalNs, r.offCpuNs, r.runqNs)).filter((s): s is CpuSplit => s !== null);
  const summary = cpuSplitSummary(splits);
  return summary === null ? null : `${p.strong('Inside syscalls:')} ${cpuSummaryText(summary)}`;
}
