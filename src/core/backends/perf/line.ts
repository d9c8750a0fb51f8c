// One line of `perf trace` text output, classified and split into fields.
import { errnoNumber } from '../../model/errno.js';

// A call line: complete, the start of an unfinished call, or the end of one.
export interface PerfCallLine {
  readonly kind: 'call';
  // entry time in µs on perf's clock; null for `?` (entry not seen)
  readonly startUs: number | null;
  // null when perf printed no duration (unfinished, or never returned)
  readonly durationUs: number | null;
  readonly comm: string;
  readonly tid: number;
  readonly syscall: string;
  // `... [continued]: name())`: the end of a call whose start was printed earlier (or never)
  readonly continued: boolean;
  // the line ends in `...`: the call's return comes on a later line
  readonly unfinished: boolean;
  // null for `= ?` and `= ` (no value: never returned, or a child's fork return)
  readonly ret: number | null;
  // the raw text between the parentheses (`name: value` pairs)
  readonly args: string;
}

// perf's notice that the kernel dropped events (ring buffer full).
export interface PerfLostLine {
  readonly kind: 'lost';
  readonly events: number;
}

// What a line is: a call, a lost-events notice, blank, or unreadable (with why).
export type PerfLine = PerfCallLine | PerfLostLine | { readonly kind: 'blank' } | { readonly kind: 'bad'; readonly reason: string };

// `   0.036 ( 0.011 ms): dd/21347 ` and the rest; comm may hold spaces and slashes,
// so the tid is the first `/digits ` followed by a syscall or a continuation.
const HEAD = /^\s*(\?|\d+\.\d{3}) \(\s*(?:(\d+\.\d{3}) ms)?\s*\): (.*?)\/(\d+) (?=\s*\.\.\. \[continued\]: |\w+\()/;
const CONTINUED = /^\s*\.\.\. \[continued\]: (\w+)\(\)\)\s+=(.*)$/;
const CALL_START = /^(\w+)\(/;
// perf's PERF_RECORD_LOST notice (tools/perf/builtin-trace.c: "LOST %" PRIu64 " events!")
const LOST = /^LOST (\d+) events!\s*$/;
const ERRNO = /^-1 (E[A-Z0-9]+)\b/;
const RETURN = /^(.*)\)\s+=(?: (.*))?$/;
const NUMBER = /^(-?\d+|0x[0-9a-f]+)\b/;

// Classifies one line of perf trace output (without its newline).
export function parsePerfLine(text: string): PerfLine {
  const head = HEAD.exec(text);
  if (head === null) {
    if (text.trim() === '') return { kind: 'blank' };
    const lost = LOST.exec(text);
    if (lost !== null) return { kind: 'lost', events: Number(lost[1]) };
    return { kind: 'bad', reason: 'expected "TIME (DURATION ms): COMM/TID SYSCALL(ARGS) = RET" or "LOST N events!"' };
  }
  const startUs = head[1] === '?' ? null : micros(head[1]!);
  const durationUs = head[2] === undefined ? null : micros(head[2]);
  const comm = head[3]!;
  const tid = Number(head[4]);
  const rest = text.slice(head[0].length);

  const cont = CONTINUED.exec(rest);
  if (cont !== null) {
    const ret = parseRet(cont[2]!);
    if (ret === undefined) return { kind: 'bad', reason: `unreadable return value "${cont[2]!.trim()}"` };
    return { kind: 'call', startUs, durationUs, comm, tid, syscall: cont[1]!, continued: true, unfinished: false, ret, args: '' };
  }
  const start = CALL_START.exec(rest);
  if (start === null) return { kind: 'bad', reason: 'expected a syscall name and "(" after COMM/TID' };
  const syscall = start[1]!;
  const trimmed = rest.trimEnd();
  if (trimmed.endsWith(') ...') || /\)\s+\.\.\.$/.test(trimmed)) {
    const close = trimmed.lastIndexOf(')');
    return { kind: 'call', startUs, durationUs, comm, tid, syscall, continued: false, unfinished: true, ret: null, args: trimmed.slice(start[0].length, close) };
  }
  // the return is after the last ")  = " (greedy: string arguments may hold one, the return never does)
  const m = RETURN.exec(trimmed);
  if (m === null) return { kind: 'bad', reason: `expected "= RET" or "..." after ${syscall}(...)` };
  const ret = parseRet(m[2] ?? '');
  if (ret === undefined) return { kind: 'bad', reason: `unreadable return value "${m[2] ?? ''}"` };
  return { kind: 'call', startUs, durationUs, comm, tid, syscall, continued: false, unfinished: false, ret, args: m[1]!.slice(start[0].length) };
}

// A return value: -errno for `-1 ENOENT (...)`, the number for `0x..`/decimal
// (`32704 (ls)` too), null for `?` or nothing, undefined when unreadable.
function parseRet(text: string): number | null | undefined {
  const t = text.trim();
  if (t === '' || t === '?') return null;
  const err = ERRNO.exec(t);
  if (err !== null) {
    const name = err[1]!;
    const n = errnoNumber(name) ?? (/^E\d+$/.test(name) ? Number(name.slice(1)) : null);
    return n === null ? undefined : -n;
  }
  const num = NUMBER.exec(t);
  if (num === null) return undefined;
  return Number(num[1]);
}

// "12.345" ms as integer µs, exact.
function micros(ms: string): number {
  const dot = ms.length - 4;
  return Number(ms.slice(0, dot)) * 1000 + Number(ms.slice(dot + 1));
}
