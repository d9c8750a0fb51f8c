// Semantic colours (ok / warn / bad / dim) as ink Text props; nothing when colour is off.
export type Tone = 'plain' | 'ok' | 'warn' | 'bad' | 'dim' | 'strong';

// ink Text props for a tone.
export function toneProps(tone: Tone, color: boolean): { color?: string; dimColor?: boolean; bold?: boolean } {
  if (!color) return {};
  switch (tone) {
    case 'ok':
      return { color: 'green' };
    case 'warn':
      return { color: 'yellow' };
    case 'bad':
      return { color: 'red' };
    case 'dim':
      return { dimColor: true };
    case 'strong':
      return { bold: true };
    default:
      return {};
  }
}
