// The selected row's interval latency histogram (log2 bars) and current
// findings, each whole (wrapped, scrolled with the selection keys when they do not fit).
import { Box, Text } from 'ink';
import { formatCalls, formatCount, formatDuration, formatPercent, formatRate } from '../../render/units.js';
import type { ShownFinding } from '../model/current-findings.js';
import { findingLines } from '../model/finding-lines.js';
import type { LiveRow } from '../model/live-row.js';
import { log2BarLines } from '../model/log2-bars.js';
import { fit } from '../model/table-layout.js';
import { Line, useLine } from './Line.js';
import { toneProps, type Tone } from './tone.js';
import type { StackRow } from '../../../core/analysis/stacks.js';
import { stackLine } from '../../render/stack-words.js';

// "  82%  40 calls  p99 3.1 ms  … → ledger_durable_commit → fsync" (the innermost frames: the line is short)
function stackRowLine(r: StackRow): string {
  return `  ${formatPercent(r.share).padStart(6)}  ${formatCalls(r.calls).padStart(12)}  p99 ${formatDuration(r.p99Ns).padStart(8)}  ${stackLine(r.names, 5)}`;
}

// Props of HistogramPanel.
export interface HistogramPanelProps {
  // the row's label, also when it had no calls this interval
  readonly title: string;
  readonly row: LiveRow | null;
  // null: this kind of row has no findings of its own (threads, files)
  readonly findings: readonly ShownFinding[] | null;
  readonly width: number;
  // lines available
  readonly height: number;
  // finding lines scrolled past (kept within the last page)
  readonly scroll: number;
  readonly color: boolean;
  // a syscall row with --stacks: its top stacks in the interval (empty: none slow); absent or null otherwise
  readonly stacks?: readonly StackRow[] | null;
}

// The panel: a summary line, the bars, then the findings (a page of them at a time).
export function HistogramPanel({ title, row, findings, width, height, scroll, color, stacks = null }: HistogramPanelProps) {
  const l = row?.latency() ?? null;
  const summary =
    row === null || row.calls === 0 || l === null
      ? 'no calls in the last interval'
      : `${formatCount(row.calls)} calls (${formatRate(row.callsPerSec)}/s), ${formatCount(row.errors)} errors; avg ${formatDuration(l.avgNs)}  p50 ${formatDuration(l.p50Ns)}  p99 ${formatDuration(l.p99Ns)}  max ${formatDuration(l.maxNs)}`;
  const lines = findingLines(findings ?? [], width);
  // title, summary, blank, the bars, blank, "Findings", then the findings (or "none"): never more than `height` lines;
  // the findings get up to half the room, the bars the rest
  const stackLines = stacks === null ? [] : stacks.length === 0 ? ['  no slow call with a stack in this interval'] : stacks.map(stackRowLine);
  const room = Math.max(2, height - 5 - (stackLines.length === 0 ? 0 : stackLines.length + 2));
  const findingsWanted = Math.max(1, Math.min(lines.length, Math.max(4, Math.floor(room / 2))));
  const bars = l?.histogram ? log2BarLines(l.histogram, width - 2, Math.max(1, room - findingsWanted)) : [];
  const barLines = Math.max(1, bars.length);
  const findingRoom = Math.max(1, room - barLines);
  // a page of lines, and a line saying where it is when they do not all fit
  const page = lines.length > findingRoom ? Math.max(1, findingRoom - 1) : lines.length;
  const top = Math.min(Math.max(0, scroll), Math.max(0, lines.length - page));
  const shown = lines.slice(top, top + page);
  const where = lines.length > shown.length ? `lines ${top + 1}-${top + shown.length} of ${lines.length} (↑ ↓ PgUp PgDn scroll)` : null;
  const line = useLine();
  // a line fitted to the panel's width, in a tone
  const fitted = (text: string, tone: Tone = 'plain') => line([{ text: fit(text, width, 'left').trimEnd(), tone }], width, color);
  return (
    <Box flexDirection="column">
      <Line {...fitted(`Latency of ${title} in the last interval (buckets: powers of 2)   Esc: back`, 'strong')} />
      <Line {...fitted(summary)} />
      <Text> </Text>
      {bars.length === 0 ? <Text {...toneProps('dim', color)}>(no latencies to show)</Text> : bars.map((b, i) => <Line key={i} {...line([{ text: b, tone: 'plain' }], width, color)} />)}
      {stackLines.length === 0 ? null : (
        <>
          <Text> </Text>
          <Text {...toneProps('strong', color)}>Where its slow calls come from (this interval)</Text>
          {stackLines.map((s, i) => (
            <Line key={`s${i}`} {...fitted(s)} />
          ))}
        </>
      )}
      <Text> </Text>
      <Text {...toneProps('strong', color)}>Findings (this interval)</Text>
      {lines.length === 0 ? (
        <Text wrap="truncate" {...toneProps('dim', color)}>
          {findings === null ? 'findings are per syscall, category and process: see those views' : 'none'}
        </Text>
      ) : null}
      {shown.map((f, i) => (
        <Line key={i} {...fitted(f.text, f.tone)} />
      ))}
      {where === null ? null : <Line {...fitted(where, 'dim')} />}
    </Box>
  );
}
