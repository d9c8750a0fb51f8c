// The findings of the histogram panel as screen lines: each finding whole
// (title, evidence, why, every recommendation), wrapped to the panel's width.
import type { Tone } from '../components/tone.js';
import type { ShownFinding } from './current-findings.js';
import { wrapText } from './wrap.js';

// One line of the findings list.
export interface FindingLine {
  readonly text: string;
  readonly tone: Tone;
}

const MARK = { critical: '!!', warning: ' !', info: ' -' } as const;
const TONE = { critical: 'bad', warning: 'warn', info: 'plain' } as const;

// Every line of the findings, in order, none wider than `width`.
export function findingLines(findings: readonly ShownFinding[], width: number): FindingLine[] {
  const out: FindingLine[] = [];
  const add = (text: string, indent: string, tone: Tone): void => {
    for (const line of wrapText(text, width, indent)) out.push({ text: line, tone });
  };
  for (const f of findings) {
    add(`${MARK[f.severity]} ${f.text.title}`, '   ', TONE[f.severity]);
    for (const e of f.text.evidence) add(`   · ${e}`, '     ', 'plain');
    if (f.text.why !== '') add(`   Why: ${f.text.why}`, '     ', 'dim');
    for (const r of f.text.recommendation) add(`   → ${r}`, '     ', 'dim');
  }
  return out;
}
