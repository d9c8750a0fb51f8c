// Stacks as folded text, the one-line form flamegraph.pl and speedscope read and
// CSV/JSON lines captures carry: frame names outermost first, joined by ';'
// (`main;ledger_run;ledger_durable_commit;fsync`). An unresolved frame is
// `[unknown in libfoo.so+0x1234]`, an anonymous mapping's `[anon]`, a kernel
// frame's name ends in `_[k]` (flamegraph.pl's mark).
import { namedFrame, type StackFrame } from './stacks.js';

const KERNEL_MARK = '_[k]';

// The module's file name (the last path component).
function baseName(module: string): string {
  const slash = module.lastIndexOf('/');
  return slash < 0 ? module : module.slice(slash + 1);
}

// One frame's name in a folded stack (never holds ';' or a line break).
export function frameName(f: StackFrame): string {
  let name: string;
  if (f.symbol !== '') name = f.symbol;
  else if (f.module.startsWith('[')) name = f.module;
  else if (f.module !== '') name = `[unknown in ${baseName(f.module)}+0x${f.moduleOffset.toString(16)}]`;
  else name = f.address > 0 ? `[unknown 0x${f.address.toString(16)}]` : '[unknown]';
  // ';' separates frames, the last space separates the count: keep both meanings
  name = name.replace(/;/g, ':').replace(/[\u0000-\u001f\u007f]/g, '?');
  return f.kernel ? `${name}${KERNEL_MARK}` : name;
}

// The folded text of frames given innermost first.
export function foldFrames(frames: readonly StackFrame[]): string {
  const names: string[] = [];
  for (let i = frames.length - 1; i >= 0; i--) names.push(frameName(frames[i]!));
  return names.join(';');
}

const UNKNOWN_IN = /^\[unknown in (.*)\+0x([0-9a-f]+)\]$/;

// Frames (innermost first) from folded text; '' is no frame at all.
export function unfoldFrames(folded: string): StackFrame[] {
  if (folded === '') return [];
  return folded
    .split(';')
    .reverse()
    .map((raw) => {
      const kernel = raw.endsWith(KERNEL_MARK);
      const name = kernel ? raw.slice(0, -KERNEL_MARK.length) : raw;
      const unknown = UNKNOWN_IN.exec(name);
      if (unknown !== null) return namedFrame('', unknown[1]!, Number.parseInt(unknown[2]!, 16), 'unresolved', kernel);
      if (name.startsWith('[') && name.endsWith(']')) return namedFrame('', name, 0, name === '[unknown]' ? 'unresolved' : 'no symbols', kernel);
      return namedFrame(name, '', 0, '', kernel);
    });
}
