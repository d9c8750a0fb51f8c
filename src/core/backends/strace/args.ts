// Scanning strace's argument text: quoted strings, nested {...} [...] (...),
// and -y / -yy fd annotations (`3</etc/passwd>`, `1</dev/null<char 1:3>>`,
// `5<TCP:[127.0.0.1:5432->127.0.0.1:40000]>`).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LT = 0x3c;
const GT = 0x3e;

// Index just after the quoted string starting at text[i] (a `"`), or -1 when it
// does not close. A trailing `...` (strace's truncation mark) belongs to it.
export function skipString(text: string, i: number): number {
  for (let k = i + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === BACKSLASH) k++;
    else if (c === QUOTE) return text.startsWith('...', k + 1) ? k + 4 : k + 1;
  }
  return -1;
}

// Index just after the fd annotation starting at text[i] (a `<` right after a
// digit), nested `<...>` included, or -1 when it does not close. The `->` of a
// -yy connection (`TCP:[a:1->b:2]`) is not a closing `>`.
export function skipAnnotation(text: string, i: number): number {
  let depth = 0;
  for (let k = i; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === LT) depth++;
    else if (c === GT && text.charCodeAt(k - 1) !== 0x2d && --depth === 0) return k + 1;
  }
  return -1;
}

// Whether text[i] is a `<` opening an fd annotation (it follows a digit).
export function isAnnotationStart(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== LT || i === 0) return false;
  const prev = text.charCodeAt(i - 1);
  return prev >= 0x30 && prev <= 0x39;
}

// Where the argument list that starts at `from` (just after the call's `(`) ends:
// the index of its closing `)`, or of the end of the text when it does not close
// there (an unfinished call), or -1 when a string or annotation is cut short.
export function argsEnd(text: string, from: number): number {
  let depth = 0;
  for (let k = from; k < text.length; k++) {
    const c = text[k]!;
    if (c === '"') {
      k = skipString(text, k) - 1;
      if (k < 0) return -1;
    } else if (c === '<' && isAnnotationStart(text, k)) {
      k = skipAnnotation(text, k) - 1;
      if (k < 0) return -1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return c === ')' ? k : -1;
      depth--;
    }
  }
  return text.length;
}

// The arguments' raw texts, split at top-level commas and trimmed.
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === '"') {
      const end = skipString(text, k);
      if (end < 0) break;
      k = end - 1;
    } else if (c === '<' && isAnnotationStart(text, k)) {
      const end = skipAnnotation(text, k);
      if (end < 0) break;
      k = end - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, k).trim());
      start = k + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}

// An integer argument (decimal, negative or 0x hex; `name=` prefixes dropped) with
// its fd annotation's description when it has one; null when the text is not a number.
export interface NumericArg {
  readonly value: bigint;
  readonly annotation: string | null;
}

const NUMBER = /^(?:[a-z_]+=)?(-?\d+|0x[0-9a-fA-F]+)(<.*>)?$/;

// Reads an integer argument, or null (strings, structs, flag names, NULL...).
export function numericArg(text: string): NumericArg | null {
  if (text === 'NULL') return { value: 0n, annotation: null };
  const m = NUMBER.exec(text);
  if (m === null) return null;
  const value = BigInt.asUintN(64, BigInt(m[1]!));
  return { value, annotation: m[2] === undefined ? null : annotationText(m[2]) };
}

// The description inside `<...>`, without a nested `<char 1:3>`-style device note.
export function annotationText(annotation: string): string {
  let inner = annotation.slice(1, -1);
  if (inner.endsWith('>')) {
    const open = inner.lastIndexOf('<');
    if (open > 0) inner = inner.slice(0, open);
  }
  return inner;
}

// The text of a quoted-string argument, strace's escapes undone; null when the
// argument is not a string or was truncated (`"..."...`).
export function stringArg(text: string): string | null {
  if (text.length < 2 || text.charCodeAt(0) !== QUOTE || text.charCodeAt(text.length - 1) !== QUOTE) return null;
  const body = text.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => unescape(e));
}

function unescape(e: string): string {
  if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
  if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
  switch (e) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'v':
      return '\v';
    case 'f':
      return '\f';
    default:
      return e;
  }
}
