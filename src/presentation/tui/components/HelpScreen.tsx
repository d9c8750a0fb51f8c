// The key bindings, listed from keys.ts.
import { Box, Text } from 'ink';
import { KEY_BINDINGS } from '../keys.js';
import { fit } from '../model/table-layout.js';
import { toneProps } from './tone.js';

// Props of HelpScreen.
export interface HelpScreenProps {
  readonly width: number;
  readonly color: boolean;
}

// The help screen: one line per binding.
export function HelpScreen({ width, color }: HelpScreenProps) {
  const keyWidth = Math.max(...KEY_BINDINGS.map((b) => b.keys.length));
  return (
    <Box flexDirection="column">
      <Text {...toneProps('strong', color)}>Keys (any key closes this help)</Text>
      {KEY_BINDINGS.map((b) => (
        <Text key={b.keys} wrap="truncate">
          <Text {...toneProps('ok', color)}>{b.keys.padEnd(keyWidth)}</Text>
          {fit(`  ${b.help}`, Math.max(0, width - keyWidth), 'left').trimEnd()}
        </Text>
      ))}
    </Box>
  );
}
