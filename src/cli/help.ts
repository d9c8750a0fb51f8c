// Help text blocks that commander does not generate.

// Shown after `trace --help`.
export const TRACE_HELP_AFTER = `
The traced command's own stdout stays on stdout (with --json it goes to stderr).
Ctrl-C stops tracing; the summary is still printed.

p50/p99 are estimated from in-kernel histograms (log2 with 8 linear sub-buckets
per power of two): within 12.5% of the true value per syscall, 25% per process.
With --sample N only about 1 call in N is timed (every call is still counted):
times are then marked "~", and the bound under the table adds a 95% sampling band.

EXAMPLES
  sudo syscall-prof trace -- ls -l /usr             trace a command (and its children)
  sudo syscall-prof trace --sample 16 -- ./server   time 1 call in 16, count them all
  sudo syscall-prof trace --command "make -j8"      run it through /bin/sh -c
  sudo syscall-prof trace --pid 1234 --duration 10  attach to a running process for 10 s
  sudo syscall-prof trace --all --duration 5 --top 15
  sudo syscall-prof trace --cgroup /sys/fs/cgroup/system.slice/postgresql.service -d 30 -o pg.csv
  sudo syscall-prof trace --json -- ./server > profile.json
`;

// Shown after `live --help`.
export const LIVE_HELP_AFTER = `
Each interval the table shows what happened in that interval (the difference of
two cumulative in-kernel snapshots): calls/s, errors/s, avg, p50, p99, max, %TIME
and a sparkline of the last 30 intervals. Keys: ? or h on the screen (1-5 views,
n c e a m 9 x t sort, w waits, / filter, p pause, Enter histogram, q quit).

Waiting calls (epoll_wait, poll, select, futex, wait4, nanosleep, pause...) are
shown apart, below the working rows, and %TIME is the share of working syscall
time, as in the report: an idle wait does not crowd out the work. The w key (or
--include-waits) counts them in %TIME and ranks them with the rest. A process
or thread ranks by its working time; one that only waited is a waiting row.

Backends: only ebpf streams snapshots while tracing (in-kernel histograms, about
250 ns per syscall; the header shows its own BPF CPU share). strace, perf and
bpftrace report only at the end: use trace --backend NAME for those.
--events adds per-thread and per-file views by copying every call to user space
(about 1 us of CPU per call): use it on a process, not on a busy machine.

Anomalies (as for agent: a p99 or error share 3x its learned baseline, or a new
errno, for 3 intervals in a row) mark their rows with "!" and are said in the
line under the header; --no-anomalies turns this off.

Not on a terminal (or --batch): a plain-text snapshot per interval, like top -b.

EXAMPLES
  sudo syscall-prof live                                whole system, 1 s refresh
  sudo syscall-prof live --pid 1234 --pid 5678 -i 500ms two processes, twice a second
  sudo syscall-prof live --command "make -j8"           a build and its children
  sudo syscall-prof live --cgroup /sys/fs/cgroup/system.slice/nginx.service
  sudo syscall-prof live --events --view file -- ./db   per-file latencies
  sudo syscall-prof live --batch --iterations 5 > top.txt
  sudo syscall-prof live --include-waits -i 2s          waits ranked with the work
  sudo syscall-prof live --max-overhead 1%              a busy host: time fewer calls, count all
  sudo syscall-prof live --json --duration 60 | jq .callsPerSec
  sudo syscall-prof live --output session.spb           then: syscall-prof analyze -i session.spb
`;

// Shown after `doctor --help`.
export const DOCTOR_HELP_AFTER = `
Checks privileges, kernel version, BTF, the raw_syscalls tracepoints and the
loader build. Exits 0 when all pass, 1 otherwise.

EXAMPLES
  syscall-prof doctor
  sudo syscall-prof doctor --json
`;

// Shown after `agent --help`.
export const AGENT_HELP_AFTER = `
Runs without a screen: traces (default: the whole system), serves /metrics
and/or pushes OTLP, logs one-line records (ts=... level=... msg=...) on stderr,
stops cleanly on SIGTERM or Ctrl-C. A port in use or a bad address exits 2
before anything is traced; an OTLP endpoint that is down is retried with backoff
(failures counted in syscall_prof_export_failures_total).

Latency buckets (le, seconds) are powers of two of nanoseconds from 256 ns to
17.2 s, folded exactly from the in-kernel histograms.

Anomalies: each (process, syscall) learns a baseline of its p99 and error share
from the first 10 intervals, then follows it slowly (EWMA). A p99 or error share
3x its baseline (and outside its usual spread), or an errno the syscall never
returned before, for 3 intervals in a row, is logged (level=warn msg=anomaly
kind=p99 syscall=fsync pid=... baseline_p99=... observed_p99=... factor=...),
counted in syscall_prof_anomalies_total{syscall,kind} and shown by
syscall_prof_anomaly{syscall,kind} (1 while active); "anomaly ended" follows
after 3 normal intervals. Intervals with fewer than 20 calls are pooled with the
next. --on-anomaly-capture keeps the last 30 s of calls slower than 100 us in
memory (event mode filtered in the kernel: faster calls cost one comparison) and
writes those of the process to an .spb for analyze -i / report.

EXAMPLES
  sudo syscall-prof agent --prometheus 127.0.0.1:9464
  sudo syscall-prof agent --prometheus :9464 --labels syscall,category,comm --max-series 300
  sudo syscall-prof agent --cgroup /sys/fs/cgroup/system.slice/nginx.service --prometheus 0.0.0.0:9464
  sudo syscall-prof agent --otlp http://127.0.0.1:4318 --otlp-interval 15000 --labels syscall,container
  sudo syscall-prof agent --pid 4321 --prometheus :9464 --on-anomaly-capture /var/tmp/spike.spb
`;

// Shown after `diff --help`.
export const DIFF_HELP_AFTER = `
Compares two captures of the same workload (before and after a change), each
read like analyze reads it (CSV, JSON lines, spb or Parquet): per syscall the calls,
total time, mean, p50 and p99 with +/-% columns; totals per call and per
second; time per category and the bottleneck; the verdict; and the findings
that are new in AFTER or gone from it.

Only the cost per call is judged. A p50, mean or p99 change is a significant
regression (or improvement) when
  - it is at least --threshold (default 10%) and --min-delta (default 100ns):
    big enough to matter, so a huge capture does not flag a 1% change;
  - a test says chance is unlikely (p below --alpha, default 0.01):
      p50, mean  Mann-Whitney U test (normal approximation, tie-corrected)
      p99        exact exceedance test: how many of AFTER's calls lie above
                 BEFORE's p99 (1% expected if nothing changed; exact for
                 any distribution, counting the chance in BEFORE's p99 too)
    on every call when both captures recorded them (CSV, JSON lines, event spb;
    latencies equal to 3 significant figures are ties), on the latency
    histogram buckets for aggregate captures (calls in one bucket are ties);
  - the syscall has at least --min-calls calls (default 30) in both captures.
The text cites the test and p-value, "(Mann-Whitney p=0.003)"; --json has them
per syscall.

Total time is put per unit of work: more calls at the same cost per call is
"more work (calls ×2.0, per-call unchanged)", not a regression. When the
captures look like windows of different lengths on running work (wall times
further apart than --threshold, calls per second closer than calls), work is
compared per second (calls/s); two runs of the same fixed work are compared by
calls, since a slower run also takes longer.

Waiting syscalls (epoll_wait, poll, futex, nanosleep...) are listed apart and
never called regressions: a longer wait is more idle time, not a slower call.
Syscalls only in one capture are listed as new or gone. The exit status is 0
either way.

EXAMPLES
  syscall-prof diff before.csv after.csv
  syscall-prof diff --threshold 5% --min-delta 1us before.spb after.spb
  syscall-prof diff --alpha 0.001 before.jsonl after.jsonl
  syscall-prof diff --json before.csv after.csv | jq '.syscalls[] | select(.regression) | {name, regressed, latency}'
`;
