// Help text blocks that commander does not generate.

// Shown after `trace --help`.
export const TRACE_HELP_AFTER = `
The traced command's own stdout stays on stdout (with --json it goes to stderr).
Ctrl-C stops tracing; the summary is still printed.

p50/p99 are estimated from in-kernel histograms (log2 with 8 linear sub-buckets
per power of two): within 12.5% of the true value per syscall, 25% per process.

EXAMPLES
  sudo syscall-prof trace -- ls -l /usr             trace a command (and its children)
  sudo syscall-prof trace --command "make -j8"      run it through /bin/sh -c
  sudo syscall-prof trace --pid 1234 --duration 10  attach to a running process for 10 s
  sudo syscall-prof trace --all --duration 5 --top 15
  sudo syscall-prof trace --json -- ./server > profile.json
`;

// Shown after `doctor --help`.
export const DOCTOR_HELP_AFTER = `
Checks privileges, kernel version, BTF, the raw_syscalls tracepoints and the
loader build. Exits 0 when all pass, 1 otherwise.

EXAMPLES
  syscall-prof doctor
  sudo syscall-prof doctor --json
`;
