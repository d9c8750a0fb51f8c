// The grammar of one strace output line (strace 4.x to 6.x):
//
//   line      := [pid] [time] body
//   pid       := "[pid" spaces N "] "  (to a terminal)  |  N spaces  (-f with -o)
//   time      := S.ffffff (-ttt)  |  HH:MM:SS[.ffffff] (-t, -tt)
//   body      := call | unfinished | resumed | signal | exit | note
//   call      := NAME "(" args ")" spaces "= " result [" <" secs ">"]     (-T)
//   unfinished:= NAME "(" args-so-far " <unfinished ...>"
//   resumed   := "<... " NAME " resumed>" rest-of-call   (rest as in `call` after "(")
//   signal    := "--- " SIG ... " ---"
//   exit      := "+++ exited with " N " +++"  |  "+++ killed by " SIG [" (core dumped)"] " +++"
//   note      := "strace: " ...  (attach/detach messages, suppressed by -q)
//
// Whatever matches none of these is a bad line.

// A timestamp: whole seconds and nanoseconds (kept apart: epoch ns do not fit a double).
export interface LineTime {
  readonly sec: number;
  readonly ns: number;
  // true for -ttt (seconds since the epoch), false for a time of day
  readonly epoch: boolean;
}

// What one line is.
export type StraceLine =
  | { readonly kind: 'call'; readonly tid: number | null; readonly time: LineTime | null; readonly name: string; readonly text: string }
  | { readonly kind: 'unfinished'; readonly tid: number | null; readonly time: LineTime | null; readonly name: string; readonly text: string }
  | { readonly kind: 'resumed'; readonly tid: number | null; readonly time: LineTime | null; readonly name: string; readonly rest: string }
  | { readonly kind: 'signal'; readonly tid: number | null; readonly time: LineTime | null; readonly signal: string }
  | { readonly kind: 'exit'; readonly tid: number | null; readonly time: LineTime | null; readonly code: number }
  | { readonly kind: 'killed'; readonly tid: number | null; readonly time: LineTime | null; readonly signal: string }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'blank' }
  | { readonly kind: 'bad'; readonly reason: string };

const PID_BRACKET = /^\[pid\s+(\d+)\] /;
const PID_COLUMN = /^(\d+)\s+(?=\S)/;
const EPOCH_TIME = /^(\d+)\.(\d{1,9}) /;
const DAY_TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? /;
const UNFINISHED = ' <unfinished ...>';
const DETACHED = ' <detached ...>';
const RESUMED = /^<\.\.\. ([A-Za-z0-9_]+) resumed>(.*)$/;
const CALL_NAME = /^([A-Za-z_][A-Za-z0-9_]*)\(/;
const EXITED = /^\+\+\+ exited with (\d+) \+\+\+$/;
const KILLED = /^\+\+\+ killed by (SIG[A-Z0-9+-]+|\d+)(?: \(core dumped\))? \+\+\+$/;
const SIGNAL = /^--- (SIG[A-Z0-9+-]+|stopped by SIG[A-Z0-9]+|\d+)\b.* ---$/;

// Parses one line (without its newline).
export function parseLine(raw: string): StraceLine {
  let s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (s.trim() === '') return { kind: 'blank' };
  if (s.startsWith('strace: ')) return { kind: 'note', text: s };
  let tid: number | null = null;
  let m = PID_BRACKET.exec(s);
  if (m !== null) {
    tid = Number(m[1]);
    s = s.slice(m[0].length);
  } else if ((m = PID_COLUMN.exec(s)) !== null) {
    tid = Number(m[1]);
    s = s.slice(m[0].length);
  }
  let time: LineTime | null = null;
  if ((m = EPOCH_TIME.exec(s)) !== null) {
    time = { sec: Number(m[1]), ns: Number(m[2]!.padEnd(9, '0')), epoch: true };
    s = s.slice(m[0].length);
  } else if ((m = DAY_TIME.exec(s)) !== null) {
    time = { sec: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]), ns: Number((m[4] ?? '').padEnd(9, '0')), epoch: false };
    s = s.slice(m[0].length);
  }
  if (s.startsWith('strace: ')) return { kind: 'note', text: s };
  if (s.startsWith('+++')) {
    if ((m = EXITED.exec(s)) !== null) return { kind: 'exit', tid, time, code: Number(m[1]) };
    if ((m = KILLED.exec(s)) !== null) return { kind: 'killed', tid, time, signal: m[1]! };
    return { kind: 'bad', reason: `unknown process event "${clip(s)}"` };
  }
  if (s.startsWith('---')) {
    if ((m = SIGNAL.exec(s)) !== null) return { kind: 'signal', tid, time, signal: m[1]! };
    return { kind: 'bad', reason: `unknown signal line "${clip(s)}"` };
  }
  if ((m = RESUMED.exec(s)) !== null) return { kind: 'resumed', tid, time, name: m[1]!, rest: m[2]! };
  if ((m = CALL_NAME.exec(s)) !== null) {
    if (s.endsWith(UNFINISHED)) return { kind: 'unfinished', tid, time, name: m[1]!, text: s.slice(0, -UNFINISHED.length) };
    // detached while in the call (-p ... then Ctrl-C): never completes; treated as unfinished
    if (s.endsWith(DETACHED)) return { kind: 'unfinished', tid, time, name: m[1]!, text: s.slice(0, -DETACHED.length) };
    return { kind: 'call', tid, time, name: m[1]!, text: s };
  }
  return { kind: 'bad', reason: `not a strace line: "${clip(s)}"` };
}

// The first 60 characters of a text, for messages.
export function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}...` : s;
}
