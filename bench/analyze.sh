#!/usr/bin/env bash
# make bench, part 3: reading captures. A real CSV capture (dd, 2 M calls) is
# repeated to ROWS rows; analyze is timed against mawk summing the same file,
# and its peak RSS is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ANALYZE_ROWS:-10000000}
CLI="node bin/syscall-prof.js"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ "$(id -u)" = 0 ] || { echo "bench: needs root (eBPF): sudo make bench" >&2; exit 1; }

$CLI trace --output "$TMP/one.csv" -- dd if=/dev/zero of=/dev/null bs=512 count=1000000 2>/dev/null
# the body of the capture, repeated; metadata lines say nothing of the row count then
grep -v '^#' "$TMP/one.csv" > "$TMP/rows.csv"
head -1 "$TMP/rows.csv" > "$TMP/big.csv"
per=$(($(wc -l < "$TMP/rows.csv") - 1))
for ((n = 0; n < ROWS; n += per)); do tail -n +2 "$TMP/rows.csv" >> "$TMP/big.csv"; done
ROWS=$(($(wc -l < "$TMP/big.csv") - 1))
size=$(du -m "$TMP/big.csv" | cut -f1)

secs() { local s e; s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo "$(( (e - s) / 1000000 ))"; }
mawk_ms=$(secs mawk -F, '{n[$5]++; t[$5]+=$6}' "$TMP/big.csv")
ours_ms=$(secs $CLI analyze --input "$TMP/big.csv")
rss_kb=$( { /usr/bin/time -f %M $CLI analyze --input "$TMP/big.csv" > /dev/null; } 2>&1 | tail -1)
printf '\nbench: analyze on %d rows (%d MB of CSV)\n' "$ROWS" "$size"
printf '%-44s %10s\n' tool "ms"
printf '%-44s %10d\n' "mawk -F, '{n[\$5]++; t[\$5]+=\$6}'" "$mawk_ms"
printf '%-44s %10d   (%.2fx mawk; peak RSS %d MB)\n' "syscall-prof analyze (exact percentiles)" "$ours_ms" \
	"$(echo "$ours_ms / $mawk_ms" | bc -l)" "$((rss_kb / 1024))"
