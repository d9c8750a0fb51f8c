// The main table: a title line and the rows that fit, the selected one highlighted.
import { Box, Text } from 'ink';
import type { LiveRow } from '../model/live-row.js';
import { rowLine, titleLine, type TableLayout } from '../model/table-layout.js';
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
  readonly recent: (row: LiveRow) => readonly number[];
  // shown instead of rows when there are none
  readonly empty: string;
  readonly color: boolean;
}

// The table.
export function RowTable({ view, sort, layout, rows, selected, recent, empty, color }: RowTableProps) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...toneProps('strong', color)}>
        {titleLine(view, sort, layout)}
      </Text>
      {rows.length === 0 ? (
        <Text {...toneProps('dim', color)}>{empty}</Text>
      ) : (
        rows.map((r, i) => (
          <Text key={r.key} wrap="truncate" inverse={i === selected} {...toneProps(r.gone ? 'dim' : r.errors > 0 && r.errors >= r.calls / 2 ? 'warn' : 'plain', color)}>
            {rowLine(r, recent(r), layout)}
          </Text>
        ))
      )}
    </Box>
  );
}
