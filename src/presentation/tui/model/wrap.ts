// Word wrapping for the live view's text panels.

// text in lines of at most `width` characters, broken at spaces (a word longer
// than a line is cut); the first line keeps the text's leading spaces, the
// others start with `indent`.
export function wrapText(text: string, width: number, indent = ''): string[] {
  const w = Math.max(1, width);
  const lead = /^ */.exec(text)![0].slice(0, w - 1);
  const room = Math.max(1, w - indent.length);
  const lines: string[] = [];
  let line = '';
  let limit = w - lead.length;
  const flush = (): void => {
    lines.push(lines.length === 0 ? lead + line : indent + line);
    line = '';
    limit = room;
  };
  for (const word of text.slice(lead.length).split(' ')) {
    let rest = word;
    if (line !== '' && line.length + 1 + rest.length > limit) flush();
    while (rest.length > limit - (line === '' ? 0 : line.length + 1)) {
      const take = limit - (line === '' ? 0 : line.length + 1);
      if (take <= 0) {
        flush();
        continue;
      }
      line = line === '' ? rest.slice(0, take) : `${line} ${rest.slice(0, take)}`;
      rest = rest.slice(take);
      flush();
    }
    if (rest !== '' || line === '') line = line === '' ? rest : `${line} ${rest}`;
  }
  if (line !== '' || lines.length === 0) flush();
  return lines;
}
