#!/usr/bin/env bash
# make bench-sample: what --sample N saves, paired in one run.
# Workload: dd if=/dev/zero of=/dev/null bs=512 count=N (2N read/write syscalls),
# as in bench/run.sh, but dd's CPU time rather than its wall time (see one_dd).
# Each round runs dd bare, under empty BPF programs on the
# same tracepoints (the floor), under programs that only read the clock at entry
# and exit (the floor of timing every call), under the loader timing every call, and under
# the loader with --sample S (and SL); the order rotates from round to round so a drift
# of the VM's speed does not favour one configuration. Per round, each
# configuration's added ns per syscall is divided by the empty programs'; the
# medians (and the spread) over the rounds are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_COUNT:-1000000}
ROUNDS=${BENCH_ROUNDS:-6}
REPS=${BENCH_REPS:-3}
S=${BENCH_SAMPLE:-16}
# a longer period: what is left when timed calls are rare
SL=${BENCH_SAMPLE_LONG:-256}
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
	sampled_long) under --sample "$SL" ;;
	esac
}

CONFIGS=(bare empty clock full sampled sampled_noproc sampled_long)
LABELS=("" "empty BPF on the same tracepoints" "a clock read at entry and exit, nothing else"
	"syscall-prof (default, every call timed)" "syscall-prof --sample $S"
	"syscall-prof --sample $S --no-per-process" "syscall-prof --sample $SL")
echo "bench-sample: dd bs=512 count=$N (2x$N syscalls), median of $REPS per configuration, $ROUNDS rounds in rotated order, $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
run_rounds

# per round: added ns/call of each, and its ratio to the empty programs'
# (column 1 is bare dd, column 2 the empty programs)
labels=$(printf '%s\n' "${LABELS[@]}")
awk -v c=$((2 * N)) -v labels="$labels" '
function median(a, n,   i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
BEGIN { split(labels, label, "\n") }
{
	n++
	k_max = NF
	e = $2 - $1
	line = sprintf("round %d: bare %.0f ms CPU; added ns/call:", n, $1 / 1e6)
	for (k = 2; k <= NF; k++) {
		add[k, n] = ($k - $1) / c
		rat[k, n] = e > 0 ? ($k - $1) / e : 0
		line = line sprintf("%s %.1f (%.2fx)", k > 2 ? "," : "", add[k, n], rat[k, n])
	}
	print line
}
END {
	printf "\n%-44s %14s %10s %16s %14s\n", "configuration", "added ns/call", "vs empty", "per-round median", "per-round range"
	for (k = 2; k <= k_max; k++) { for (i = 1; i <= n; i++) a[i] = add[k, i]; med[k] = median(a, n) }
	for (k = 2; k <= k_max; k++) {
		for (i = 1; i <= n; i++) b[i] = rat[k, i]
		lo = b[1]; hi = b[1]
		for (i = 1; i <= n; i++) { if (b[i] < lo) lo = b[i]; if (b[i] > hi) hi = b[i] }
		printf "%-44s %14.1f %9.2fx %15.2fx %7.2f-%.2fx\n", label[k], med[k], (med[2] > 0 ? med[k] / med[2] : 0), median(b, n), lo, hi
	}
	print "(added ns/call: median over rounds; vs empty: the ratio of those medians)"
	print "(the clock row is the floor of timing every call: two bpf_ktime_get_ns() reads)"
}' "$TMP/rounds"
