// The connections panel: the kernel's TCP figures since the start, one line per process and port.
import { Box, Text } from 'ink';
import type { TcpRow } from '../../../core/analysis/tcp-rows.js';
import { palette } from '../../render/color.js';
import { renderTcpBlock } from '../../render/tcp-text.js';
import { Line, useLine } from './Line.js';
import { toneProps } from './tone.js';

// Props of TcpPanel.
export interface TcpPanelProps {
  // null: the backend does not measure TCP
  readonly rows: readonly TcpRow[] | null;
  readonly width: number;
  // lines it may use, its title included
  readonly height: number;
  readonly color: boolean;
}

// The panel: a title, then the table (as `trace` prints it) cut to the screen.
export function TcpPanel({ rows, width, height, color }: TcpPanelProps) {
  const title = 'TCP connections since the start (from the kernel: handshake = SYN sent to established; accepts are not timed)';
  if (rows === null || rows.length === 0) {
    return (
      <Box flexDirection="column">
        <Text {...toneProps('strong', color)} wrap="truncate">
          {title}
        </Text>
        <Text {...toneProps('dim', color)}>{rows === null ? 'not measured: the eBPF backend counts TCP connections in the kernel' : 'no TCP connections made or accepted yet'}</Text>
      </Box>
    );
  }
  // the block's table without its title line, plain: colours come from tones here
  const [head, ...body] = renderTcpBlock(rows, palette(false)).slice(1);
  const room = Math.max(1, height - 2);
  const shown = body.slice(0, room);
  const line = useLine();
  return (
    <Box flexDirection="column">
      <Text {...toneProps('strong', color)} wrap="truncate">
        {title}
      </Text>
      <Line {...line([{ text: (head ?? '').slice(0, width), tone: 'dim' }], width, color)} />
      {shown.map((text, i) => (
        <Line key={i} {...line([{ text: text.slice(0, width), tone: rows[i]!.resets + rows[i]!.failed + rows[i]!.retransmits > 0 ? 'warn' : 'plain' }], width, color)} />
      ))}
      {body.length > shown.length ? <Text {...toneProps('dim', color)}>{`${body.length - shown.length} more`}</Text> : null}
    </Box>
  );
}
