// The selected row's interval latency histogram (log2 bars) and current findings.
import { Box, Text } from 'ink';
import { formatCount, formatDuration, formatRate } from '../../render/units.js';
import type { ShownFinding } from '../model/current-findings.js';
import type { LiveRow } from '../model/live-row.js';
import { log2BarLines } from '../model/log2-bars.js';
import { fit } from '../model/table-layout.js';
import { toneProps } from './tone.js';

// Props of HistogramPanel.
export interface HistogramPanelProps {
  // the row's label, also when it had no calls this interval
  readonly title: string;
  readonly row: LiveRow | null;
  readonly findings: readonly ShownFinding[];
  readonly width: number;
  // lines available
  readonly height: number;
  readonly color: boolean;
}

// The panel: a summary line, the bars, then the findings (as many as fit).
export function HistogramPanel({ title, row, findings, width, height, color }: HistogramPanelProps) {
  const l = row?.latency() ?? null;
  const summary =
    row === null || row.calls === 0 || l === null
      ? 'no calls in the last interval'
      : `${formatCount(row.calls)} calls (${formatRate(row.callsPerSec)}/s), ${formatCount(row.errors)} errors; avg ${formatDuration(l.avgNs)}  p50 ${formatDuration(l.p50Ns)}  p99 ${formatDuration(l.p99Ns)}  max ${formatDuration(l.maxNs)}`;
  const bars = l?.histogram ? log2BarLines(l.histogram, width - 2) : [];
  const findingLines: Array<{ text: string; tone: 'bad' | 'warn' | 'plain' | 'dim' }> = [];
  for (const f of findings) {
    findingLines.push({ text: `${f.severity === 'critical' ? '!!' : f.severity === 'warning' ? ' !' : ' -'} ${f.title}`, tone: f.severity === 'critical' ? 'bad' : f.severity === 'warning' ? 'warn' : 'plain' });
    if (f.recommendation !== '') findingLines.push({ text: `   → ${f.recommendation}`, tone: 'dim' });
  }
  // title + summary + blank + bars + blank + "Findings" + lines
  const barRoom = Math.max(1, height - 4 - (findingLines.length > 0 ? Math.min(findingLines.length, 4) + 2 : 2));
  const shownBars = bars.slice(0, barRoom);
  const findingRoom = Math.max(0, height - 4 - shownBars.length - 2);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...toneProps('strong', color)}>
        {fit(`Latency of ${title} (last interval, log2 buckets)   Esc: back`, width, 'left').trimEnd()}
      </Text>
      <Text wrap="truncate">{fit(summary, width, 'left').trimEnd()}</Text>
      <Text> </Text>
      {shownBars.length === 0 ? <Text {...toneProps('dim', color)}>(no latencies to show)</Text> : shownBars.map((b, i) => <Text key={i} wrap="truncate">{b}</Text>)}
      {bars.length > shownBars.length ? <Text {...toneProps('dim', color)}>{`... ${bars.length - shownBars.length} more buckets`}</Text> : null}
      <Text> </Text>
      <Text {...toneProps('strong', color)}>Findings (this interval)</Text>
      {findingLines.length === 0 ? (
        <Text {...toneProps('dim', color)}>none</Text>
      ) : (
        findingLines.slice(0, findingRoom).map((f, i) => (
          <Text key={i} wrap="truncate" {...toneProps(f.tone, color)}>
            {fit(f.text, width, 'left').trimEnd()}
          </Text>
        ))
      )}
    </Box>
  );
}
