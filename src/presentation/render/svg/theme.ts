// The charts' colours and font: a light card with dark text, so a chart reads
// the same on GitHub's light and dark pages (it carries its own background).

// Colours by meaning.
export const SVG_THEME = {
  background: '#ffffff',
  border: '#d0d7de',
  text: '#1f2328',
  muted: '#57606a',
  grid: '#eaeef2',
  bar: '#0969da',
  bottleneck: '#cf222e',
  waiting: '#8c959f',
  mode: '#fff1c2',
  modeText: '#7d4e00',
  p50: '#1a7f37',
  p99: '#bc4c00',
} as const;

// Font attributes every text element shares (on the root group).
export const SVG_FONT = { 'font-family': 'ui-sans-serif, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif', 'font-size': 12 } as const;
