// A finding about a syscall quotes the stack holding most of its slow time.
import type { Finding } from './findings.js';
import { stackSections } from './stacks.js';
import type { StackProfile } from '../model/stacks.js';

// Findings with the top stack of the syscall each is about, as evidence (those
// about no syscall, or one without stacks, unchanged).
export function withTopStacks<F extends Finding>(findings: readonly F[], stacks: StackProfile | null): F[] {
  if (stacks === null) return [...findings];
  const top = new Map(stackSections(stacks, null, 1).map((s) => [s.syscall, s.stacks[0]!]));
  return findings.map((f) => {
    const row = f.syscall === null ? undefined : top.get(f.syscall);
    return row === undefined ? f : { ...f, topStack: row };
  });
}
