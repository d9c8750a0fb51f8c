#!/usr/bin/env bash
# make bench, part 2: capturing every call to a file. The traced command is
# dd if=/dev/zero of=/dev/null bs=512 count=N (2N read/write calls); its
# slowdown is dd's own reported run time under each tool over its bare run time.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${CAPTURE_COUNT:-1000000}
LOADER=.output/loader/syscall-prof-loader
CLI="node bin/syscall-prof.js"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo make bench"
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
DD=(dd if=/dev/zero of=/dev/null bs=512 count="$N")

# seconds dd says it ran, from its stderr in file $1
dd_secs() { sed -n 's/.*copied, \([0-9.e-]*\) s,.*/\1/p' "$1" | tail -1; }

bare() { "${DD[@]}" 2> "$TMP/bare.err"; dd_secs "$TMP/bare.err"; }

row() { # label secs rows lost
	awk -v l="$1" -v s="$2" -v b="$BARE" -v r="$3" -v lost="$4" \
		'BEGIN { printf "%-44s %9.3f %9.1fx %12s %10s\n", l, s, s / b, r, lost }'
}

echo "bench: capture of dd bs=512 count=$N ($((2 * N)) read/write calls) to a file"
BARE=$(bare)
printf '\n%-44s %9s %10s %12s %10s\n' tool "dd s" slowdown "rows" lost
row "bare" "$BARE" "-" "-"

# ours, raw frames straight from the loader (the spb format)
"$LOADER" --events -- "${DD[@]}" > "$TMP/ours.spb" 2> "$TMP/ours.err"
row "syscall-prof loader --events (spb)" "$(dd_secs "$TMP/ours.err")" "$(stat -c %s "$TMP/ours.spb") B" "-"

# ours, end to end through the CLI to CSV
if $CLI trace --help 2>/dev/null | grep -q -- '--output'; then
	$CLI trace --output "$TMP/ours.csv" -- "${DD[@]}" 2> "$TMP/cli.err" || die "trace --output failed: $(tail -3 "$TMP/cli.err")"
	rows=$(wc -l < "$TMP/ours.csv")
	lost=$(sed -n 's/^ *"lost_events": *\([0-9]*\).*/\1/p' "$TMP/ours.csv.meta.json")
	row "syscall-prof trace --output f.csv" "$(dd_secs "$TMP/cli.err")" "$((rows - 1))" "${lost:-?}"
fi

# perf trace writing the same calls to a file
perf trace -o "$TMP/perf.txt" -- "${DD[@]}" 2> "$TMP/perf.err" || true
lost=$( (grep -ohE 'LOST [0-9]+ events' "$TMP/perf.txt" "$TMP/perf.err" || true) | awk '{s += $2} END {print s + 0}')
row "perf trace -o" "$(dd_secs "$TMP/perf.err")" "$(wc -l < "$TMP/perf.txt")" "$lost"

# strace writing the same calls to a file
strace -f -o "$TMP/strace.txt" -- "${DD[@]}" 2> "$TMP/strace.err"
row "strace -f -o" "$(dd_secs "$TMP/strace.err")" "$(wc -l < "$TMP/strace.txt")" "0 (ptrace)"
