// The stack table of a text capture (CSV, JSON lines), whose rows carry their
// stacks as folded text: one id per distinct text, its frames read back by name.
import { unfoldFrames } from '../model/folded-stack.js';
import type { StackTable } from '../model/stacks.js';

// Folded stack texts -> ids in a table the capture's batches share.
export class FoldedStacks {
  readonly table: StackTable = new Map();
  private readonly ids = new Map<string, number>();

  // The id of a folded stack ('' is none: 0), first seen in process `pid`.
  idOf(folded: string, pid: number): number {
    if (folded === '') return 0;
    let id = this.ids.get(folded);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(folded, id);
      this.table.set(id, { id, tgid: pid, frames: unfoldFrames(folded), unwind: 'unknown', completeness: 'unknown', reason: '' });
    }
    return id;
  }
}
