// The argv a `--command STRING` runs: the words themselves when the string is
// a plain command line (words, quotes, backslashes), as strace runs argv, so
// that no /bin/sh wrapper sits between the tracer and the program waiting for
// it; `/bin/sh -c STRING` when it needs a shell (operators, redirections,
// globs, variables, ~, comments, leading VAR=value, a shell builtin or keyword).
import { parse } from 'shell-quote';

// Commands that exist only inside a shell (POSIX special and regular builtins, keywords).
const SHELL_ONLY: ReadonlySet<string> = new Set([
  '.', ':', 'alias', 'bg', 'break', 'case', 'cd', 'command', 'continue', 'eval', 'exec', 'exit', 'export', 'fc', 'fg', 'for', 'getopts', 'hash',
  'if', 'jobs', 'read', 'readonly', 'return', 'set', 'shift', 'source', 'time', 'times', 'trap', 'ulimit', 'umask', 'unalias', 'unset', 'until', 'wait', 'while', '{', '!',
]);

// The argv that runs `cmd`: its words, or the shell with the string.
export function commandArgv(cmd: string): string[] {
  const shell = ['/bin/sh', '-c', cmd];
  if (/[\n\r`$]/.test(cmd)) return shell;
  let usesVariables = false;
  const parsed = parse(cmd, (name) => {
    usesVariables = true;
    return `$${name}`;
  });
  if (usesVariables || parsed.length === 0) return shell;
  const words: string[] = [];
  for (const p of parsed) {
    if (typeof p !== 'string') return shell;
    words.push(p);
  }
  // quote characters are gone after parsing; these still mean something to a shell only when unquoted,
  // so look at the raw string: a ~ or = that reached a word unquoted would have been expanded by sh
  if (/(^|\s)~/.test(cmd) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || SHELL_ONLY.has(words[0]!)) return shell;
  return words;
}
