// The main table: a title line and the rows that fit, the selected one
// highlighted; waiting rows dimmed, under their section's title when it is on screen.
import { Box } from 'ink';
import type { LiveRow } from '../model/live-row.js';
import { rowLine, rowTone, titleLine, waitingTitle, type TableLayout } from '../model/table-layout.js';
import type { SortColumn, ViewName } from '../model/view-rows.js';
import { Line, useLine } from './Line.js';

// Props of RowTable.
export interface RowTableProps {
  readonly view: ViewName;
  readonly sort: SortColumn;
  readonly layout: TableLayout;
  // the rows on screen, in order
  readonly rows: readonly LiveRow[];
  // index into rows, or -1
  readonly selected: number;
  // the waiting section's title goes above rows[waitingFrom] (rows.length: after the last); null: not on screen
  readonly waitingFrom: number | null;
  readonly recent: (row: LiveRow) => readonly number[];
  // keys of the rows with an active anomaly (marked "!", in the bad colour)
  readonly marked?: ReadonlySet<string>;
  // shown instead of rows when there are none
  readonly empty: string;
  readonly color: boolean;
  // the terminal's columns: lines are cut there
  readonly width: number;
}

// The table.
export function RowTable({ view, sort, layout, rows, selected, waitingFrom, recent, marked, empty, color, width }: RowTableProps) {
  const line = useLine();
  const lines = rows.map((r, i) => {
    const mark = marked?.has(r.key) === true;
    return <Line key={r.key} {...line([{ text: rowLine(r, recent(r), layout, mark), tone: mark ? 'bad' : rowTone(r) }], width, color, i === selected)} />;
  });
  if (waitingFrom !== null) lines.splice(waitingFrom, 0, <Line key={'\u0000waiting'} {...line([{ text: waitingTitle(layout, 'key'), tone: 'dim' }], width, color)} />);
  return (
    <Box flexDirection="column">
      <Line {...line([{ text: titleLine(view, sort, layout), tone: 'strong' }], width, color)} />
      {rows.length === 0 ? <Line {...line([{ text: empty, tone: 'dim' }], width, color)} /> : lines}
    </Box>
  );
}
