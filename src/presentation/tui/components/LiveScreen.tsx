// The whole live screen for one frame and UI state: header, then the table, the
// histogram panel or the help, then a status line. Pure: everything comes in props.
import { Box, Text } from 'ink';
import { historyKey, type LiveFeed } from '../live-feed.js';
import { anomalyLine, anomalyRowKeys } from '../model/anomaly-marks.js';
import { currentFindings, type FindingScope } from '../model/current-findings.js';
import { headerParts } from '../model/header-text.js';
import type { LiveFrame } from '../model/interval.js';
import { fitColumns } from '../model/table-layout.js';
import { tableWindow } from '../model/table-window.js';
import { viewRows } from '../model/view-rows.js';
import { waitsStatus } from '../model/waits.js';
import type { LinePart } from '../model/screen-line.js';
import type { UiState } from '../state.js';
import { Header } from './Header.js';
import { HelpScreen } from './HelpScreen.js';
import { HistogramPanel } from './HistogramPanel.js';
import { Line, useLine } from './Line.js';
import { stackSections, type StackRow } from '../../../core/analysis/stacks.js';
import { RowTable } from './RowTable.js';
import { TcpPanel } from './TcpPanel.js';
import { toneProps } from './tone.js';

// Props of LiveScreen.
export interface LiveScreenProps {
  readonly frame: LiveFrame | null;
  readonly history: LiveFeed['history'] | null;
  readonly state: UiState;
  readonly width: number;
  readonly height: number;
  readonly intervalMs: number;
  readonly color: boolean;
  // the session is over (the loader stopped): say so
  readonly ended?: boolean;
  // one line about the session (e.g. event mode's cost), or null
  readonly note?: string | null;
}

// Lines the table can use: all but header (2), blank, title, status and one spare.
export function tablePage(height: number): number {
  return Math.max(1, height - 6);
}

// The screen.
export function LiveScreen({ frame, history, state, width, height, intervalMs, color, ended = false, note = null }: LiveScreenProps) {
  const w = Math.max(20, width);
  if (frame === null) {
    return (
      <Box flexDirection="column">
        <Text>syscall-prof live: waiting for the first snapshot ({Math.round(intervalMs)} ms)…</Text>
        <Text {...toneProps('dim', color)}>q quits, ? shows the keys</Text>
      </Box>
    );
  }
  const page = tablePage(height);
  const win = tableWindow(frame, state, page);
  const anomaly = anomalyLine(frame);
  const line = useLine();
  return (
    <Box flexDirection="column">
      <Header lines={headerParts(frame, intervalMs)} width={w} color={color} />
      {/* the blank line under the header says what is anomalous, when something is */}
      <Line {...line([{ text: anomaly ?? '', tone: 'bad' }], w, color)} />
      {state.panel === 'help' ? (
        <HelpScreen width={w} color={color} />
      ) : state.panel === 'tcp' ? (
        <TcpPanel rows={frame.tcp ?? null} width={w} height={height - 5} color={color} />
      ) : state.panel === 'histogram' ? (
        <DetailPanel frame={frame} state={state} width={w} height={height - 4} color={color} />
      ) : win.rows === null ? (
        <Text {...toneProps('warn', color)}>{missingViewText(state.view)}</Text>
      ) : (
        <RowTable
          view={state.view}
          sort={state.sort}
          layout={fitColumns(w, win.rows, state.includeWaits)}
          rows={win.rows}
          selected={win.selected}
          waitingFrom={win.waitingFrom}
          recent={(r) => history?.of(historyKey(state.view, r.key)) ?? []}
          marked={anomalyRowKeys(frame, state.view)}
          empty={frame.calls === 0 ? 'no syscalls in this interval' : state.filter !== '' ? `no rows match "${state.filter}"` : 'nothing to show'}
          color={color}
          width={w}
        />
      )}
      <StatusLine state={state} matching={win.matching} shown={(win.rows?.length ?? 0) + win.offset} ended={ended} note={note} color={color} width={w} />
    </Box>
  );
}

// why a view has no rows: threads and files need per-call records; io_uring, a backend that traced it
function missingViewText(view: UiState['view']): string {
  return view === 'io_uring'
    ? 'The io_uring view needs the eBPF backend with io_uring traced (the loader said why not when it started).'
    : `The ${view} view needs per-call records: restart with --events (it costs more; see live --help).`;
}

function DetailPanel({ frame, state, width, height, color }: { readonly frame: LiveFrame; readonly state: UiState; readonly width: number; readonly height: number; readonly color: boolean }) {
  const rows = viewRows(frame, state.view) ?? [];
  const row = rows.find((r) => r.key === state.detailKey) ?? null;
  const key = state.detailKey;
  // threads and files: findings are per syscall and process, not per thread or file
  const scope: FindingScope | undefined =
    key === null
      ? undefined
      : state.view === 'syscall'
        ? { kind: 'syscall', syscall: key }
        : state.view === 'category'
          ? { kind: 'category', category: key }
          : state.view === 'process'
            ? { kind: 'process', key }
            : undefined;
  const findings = scope === undefined ? null : currentFindings(frame, scope);
  const stacks = scope?.kind === 'syscall' ? syscallStacks(frame, scope.syscall) : null;
  return <HistogramPanel title={row?.label ?? state.detailKey ?? ''} row={row} findings={findings} width={width} height={height} scroll={state.findingsScroll} color={color} stacks={stacks} />;
}

// how many stacks the panel lists for a syscall
const PANEL_STACKS = 3;

// a syscall's top stacks in the frame's interval; null without --stacks
function syscallStacks(frame: LiveFrame, syscall: string): StackRow[] | null {
  const stacks = frame.intervalStacks?.() ?? null;
  if (stacks === null) return null;
  return [...(stackSections(stacks, null, PANEL_STACKS).find((s) => s.syscall === syscall)?.stacks ?? [])];
}

function StatusLine({
  state,
  matching,
  shown,
  ended,
  note,
  color,
  width,
}: {
  readonly state: UiState;
  readonly matching: number;
  readonly shown: number;
  readonly ended: boolean;
  readonly note: string | null;
  readonly color: boolean;
  readonly width: number;
}) {
  const parts: LinePart[] = [];
  if (state.editingFilter) parts.push({ text: `filter: ${state.filter}▏ (Enter keeps, Esc clears)`, tone: 'plain' });
  else if (state.filter !== '') parts.push({ text: `filter "${state.filter}": ${matching} rows`, tone: 'plain' });
  if (state.paused) parts.push({ text: 'PAUSED (p resumes)', tone: 'warn' });
  if (ended) parts.push({ text: 'tracing stopped; q quits', tone: 'bad' });
  if (state.panel === 'table' && !state.editingFilter && matching > shown) parts.push({ text: `${matching - shown} more below`, tone: 'dim' });
  if (note !== null && note !== '') parts.push({ text: note, tone: 'dim' });
  parts.push({ text: `view: ${state.view}  ${waitsStatus(state.includeWaits)}  ? keys  q quit`, tone: 'dim' });
  const line = useLine();
  return <Line {...line(parts.map((p, i) => ({ text: `${i === 0 ? '' : '  '}${p.text}`.slice(0, width), tone: p.tone })), width, color)} />;
}
