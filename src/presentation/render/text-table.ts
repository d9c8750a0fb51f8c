// Column alignment for plain-text tables.
import type { Paint } from './color.js';

// A table column: its title and which side it hugs.
export interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
}

// A cell: its text and an optional paint applied after padding.
export type Cell = string | { readonly text: string; readonly paint: Paint };

// Lines of an aligned table: a title line, then one line per row.
export function textTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], titlePaint: Paint = (t) => t): string[] {
  const texts = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? cell : cell.text)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...texts.map((r) => (r[i] ?? '').length)));
  const pad = (text: string, i: number): string =>
    columns[i]!.align === 'left' ? text.padEnd(widths[i]!) : text.padStart(widths[i]!);
  const line = (cells: string[]): string => cells.join('  ').trimEnd();
  const title = titlePaint(line(columns.map((c, i) => pad(c.title, i))));
  const body = rows.map((row) =>
    line(
      row.map((cell, i) => {
        const padded = pad(typeof cell === 'string' ? cell : cell.text, i);
        return typeof cell === 'string' ? padded : cell.paint(padded);
      }),
    ),
  );
  return [title, ...body];
}
