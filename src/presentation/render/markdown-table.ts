// GitHub-flavoured Markdown tables.

// A column: title and alignment.
export interface MarkdownColumn {
  readonly title: string;
  readonly align: 'left' | 'right';
}

// Text safe inside a table cell: pipes escaped, newlines flattened.
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

// Lines of a table: header, alignment row, one line per row.
export function markdownTable(columns: readonly MarkdownColumn[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [
    line(columns.map((c) => c.title)),
    `|${columns.map((c) => (c.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map(line),
  ];
}
