// The two header lines: target, uptime, interval; rates, losses, profiler cost.
import { Box } from 'ink';
import type { HeaderPart } from '../model/header-text.js';
import { fit } from '../model/table-layout.js';
import { Line, useLine } from './Line.js';

// Props of Header.
export interface HeaderProps {
  readonly lines: readonly (readonly HeaderPart[])[];
  readonly width: number;
  readonly color: boolean;
}

// The header, each line cut to the width.
export function Header({ lines, width, color }: HeaderProps) {
  const line = useLine();
  return (
    <Box flexDirection="column">
      {lines.map((parts, i) => {
        let left = width;
        const cut = parts.map((p, j) => {
          const text = fit(`${j === 0 ? '' : '  '}${p.text}`, Math.max(0, left), 'left').trimEnd();
          left -= text.length;
          return { text, tone: p.tone };
        });
        return <Line key={i} {...line(cut, width, color)} />;
      })}
    </Box>
  );
}
