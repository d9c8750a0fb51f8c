#!/usr/bin/env bash
# make bench-sample: what --sample N saves, paired in one run.
# Workload: dd if=/dev/zero of=/dev/null bs=512 count=N (2N read/write syscalls),
# as in bench/run.sh, but dd's CPU time rather than its wall time (see one_dd).
# Each round runs dd bare, under empty BPF programs on the
# same tracepoints (the floor), under programs that only read the clock at entry
# and exit (the floor of timing every call), under the loader timing every call, and under
# the loader with --sample S; the order rotates from round to round so a drift
# of the VM's speed does not favour one configuration. Per round, each
# configuration's added ns per syscall is divided by the empty programs'; the
# medians (and the spread) over the rounds are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_COUNT:-1000000}
ROUNDS=${BENCH_ROUNDS:-6}
REPS=${BENCH_REPS:-3}
S=${BENCH_SAMPLE:-16}
LOADER=.output/loader/syscall-prof-loader
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo make bench-sample"
[ -x "$LOADER" ] || die "$LOADER is not built: make build"

# one_dd, under, run_rounds
. bench/dd-lib.sh

measure() {
	case $1 in
	bare) one_dd ;;
	empty) under --empty ;;
	clock) under --empty-clock ;;
	full) under ;;
	sampled) under --sample "$S" ;;
	sampled_noproc) under --sample "$S" --no-per-process ;;
	esac
}

CONFIGS=(bare empty clock full sampled sampled_noproc)
echo "bench-sample: dd bs=512 count=$N (2x$N syscalls), median of $REPS per configuration, $ROUNDS rounds in rotated order, $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
run_rounds

# per round: added ns/call of each, and its ratio to the empty programs'
awk -v c=$((2 * N)) -v s="$S" '
function median(a, n,   i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	n++
	e = $2 - $1
	for (k = 2; k <= 6; k++) { add[k, n] = ($k - $1) / c; rat[k, n] = e > 0 ? ($k - $1) / e : 0 }
	printf "round %d: bare %.0f ms CPU; added ns/call: empty %.1f, clock reads %.1f (%.2fx), full %.1f (%.2fx), --sample %d %.1f (%.2fx), --sample %d --no-per-process %.1f (%.2fx)\n", \
		n, $1 / 1e6, add[2, n], add[3, n], rat[3, n], add[4, n], rat[4, n], s, add[5, n], rat[5, n], s, add[6, n], rat[6, n]
}
END {
	label[2] = "empty BPF on the same tracepoints"
	label[3] = "a clock read at entry and exit, nothing else"
	label[4] = "syscall-prof (default, every call timed)"
	label[5] = "syscall-prof --sample " s
	label[6] = "syscall-prof --sample " s " --no-per-process"
	printf "\n%-44s %14s %10s %16s %14s\n", "configuration", "added ns/call", "vs empty", "per-round median", "per-round range"
	for (k = 2; k <= 6; k++) { for (i = 1; i <= n; i++) a[i] = add[k, i]; med[k] = median(a, n) }
	for (k = 2; k <= 6; k++) {
		for (i = 1; i <= n; i++) b[i] = rat[k, i]
		lo = b[1]; hi = b[1]
		for (i = 1; i <= n; i++) { if (b[i] < lo) lo = b[i]; if (b[i] > hi) hi = b[i] }
		printf "%-44s %14.1f %9.2fx %15.2fx %7.2f-%.2fx\n", label[k], med[k], (med[2] > 0 ? med[k] / med[2] : 0), median(b, n), lo, hi
	}
	print "(added ns/call: median over rounds; vs empty: the ratio of those medians)"
	print "(the clock row is the floor of timing every call: two bpf_ktime_get_ns() reads)"
}' "$TMP/rounds"
