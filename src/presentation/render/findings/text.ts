// A finding in words, and the phrases several rules' words share.
import { formatPercent } from '../units.js';

// What a reader sees of a finding.
export interface FindingText {
  readonly title: string;
  // what this capture shows, with its numbers
  readonly evidence: readonly string[];
  // why it matters (one sentence); '' when there is nothing to say
  readonly why: string;
  // what to do, most useful first
  readonly recommendation: readonly string[];
}

// " (12.5% of thread time)" (of the traced threads' time), or '' when unknown.
export function ofWall(share: number | null): string {
  return share === null ? '' : ` (${formatPercent(share)} of thread time)`;
}

// "s" unless n is 1.
export function plural(n: number): string {
  return n === 1 ? '' : 's';
}
