// The main table: a title line and the rows that fit, the selected one
// highlighted; waiting rows dimmed, under their section's title when it is on screen.
import { Box, Text } from 'ink';
import type { LiveRow } from '../model/live-row.js';
import { rowLine, rowTone, titleLine, waitingTitle, type TableLayout } from '../model/table-layout.js';
import type { SortColumn, ViewName } from '../model/view-rows.js';
import { toneProps } from './tone.js';

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
}

// The table.
export function RowTable({ view, sort, layout, rows, selected, waitingFrom, recent, marked, empty, color }: RowTableProps) {
  const title = (
    <Text key={'\u0000waiting'} wrap="truncate" {...toneProps('dim', color)}>
      {waitingTitle(layout, 'key')}
    </Text>
  );
  const lines = rows.map((r, i) => {
    const mark = marked?.has(r.key) === true;
    return (
      <Text key={r.key} wrap="truncate" inverse={i === selected} {...toneProps(mark ? 'bad' : rowTone(r), color)}>
        {rowLine(r, recent(r), layout, mark)}
      </Text>
    );
  });
  if (waitingFrom !== null) lines.splice(waitingFrom, 0, title);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...toneProps('strong', color)}>
        {titleLine(view, sort, layout)}
      </Text>
      {rows.length === 0 ? <Text {...toneProps('dim', color)}>{empty}</Text> : lines}
    </Box>
  );
}
