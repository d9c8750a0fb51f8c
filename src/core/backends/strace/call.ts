// A complete call's text, `name(args) = result [<secs>]`, as fields.
import { errnoNumber } from '../../model/errno.js';
import { annotationText, argsEnd, isAnnotationStart, skipAnnotation, splitArgs } from './args.js';

// One call as strace printed it.
export interface ParsedCall {
  readonly name: string;
  // raw argument texts, split at top-level commas
  readonly args: readonly string[];
  // the return value (-errno for an error); 0 when it never returned (`= ?`)
  readonly ret: number;
  // `= ?`: the call did not return (exit_group, execve's old image, a kill)
  readonly noReturn: boolean;
  // errno name after the value (ENOENT, ERESTARTSYS...), or null
  readonly errno: string | null;
  // -y description of a returned fd (`= 3</etc/passwd>`), or null
  readonly retPath: string | null;
  // -T time in ns, null when the line has none
  readonly durationNs: number | null;
}

const DURATION = / <(\d+)\.(\d{1,9})>$/;
const UNAVAILABLE = ' <unavailable>';
const RESULT = /^\s*= (\?|-?\d+|0x[0-9a-fA-F]+)/;
const ERRNO = /^ (E[A-Z0-9_]+) \(/;

// Parses `name(args) = result [<secs>]`; a string saying what is wrong when it does not parse.
export function parseCall(name: string, text: string): ParsedCall | string {
  let s = text;
  let durationNs: number | null = null;
  const d = DURATION.exec(s);
  if (d !== null) {
    durationNs = Number(d[1]) * 1e9 + Number(d[2]!.padEnd(9, '0'));
    s = s.slice(0, d.index);
  } else if (s.endsWith(UNAVAILABLE)) {
    s = s.slice(0, -UNAVAILABLE.length);
  }
  const open = name.length + 1;
  const close = argsEnd(s, open);
  if (close < 0) return 'unbalanced quotes or fd annotation in the arguments';
  if (close === s.length) return 'no closing ")" after the arguments';
  const r = RESULT.exec(s.slice(close + 1));
  if (r === null) return 'no "= result" after the arguments';
  let rest = s.slice(close + 1 + r[0].length);
  const token = r[1]!;
  const noReturn = token === '?';
  let ret = noReturn ? 0 : Number(token);
  let retPath: string | null = null;
  if (rest.startsWith('<')) {
    const probe = token + rest;
    if (isAnnotationStart(probe, token.length)) {
      const end = skipAnnotation(probe, token.length);
      if (end > 0) {
        retPath = annotationText(probe.slice(token.length, end));
        rest = probe.slice(end);
      }
    }
  }
  let errno: string | null = null;
  const e = ERRNO.exec(rest);
  if (e !== null) {
    errno = e[1]!;
    const n = errnoNumber(errno);
    // "= -1 ENOENT": the kernel returned -ENOENT; "= ? ERESTARTSYS": the restart code
    if (n !== null && (ret === -1 || noReturn)) ret = -n;
  }
  return { name, args: splitArgs(s.slice(open, close)), ret, noReturn: noReturn && errno === null, errno, retPath, durationNs };
}
