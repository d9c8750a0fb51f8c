#!/usr/bin/env bash
# The README's real-program report excerpts: PostgreSQL under pgbench and Redis
# under redis-benchmark, each from its Debian package in its own cgroup on
# 127.0.0.1, traced with `trace --cgroup` while the load runs, reported with
# `report`; the verdict and the first finding of each go into README.md
# between the corpus-reports markers. Usage: sudo bench/corpus-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "corpus-reports: needs root (eBPF, cgroups): sudo bench/corpus-reports.sh" >&2; exit 1; }
. bench/services-lib.sh
CLI="node bin/syscall-prof.js"
TMP=$(mktemp -d)
# the postgres user reaches its data directory inside
chmod 755 "$TMP"
PG_STARTED=
cleanup() {
	[ -n "$PG_STARTED" ] && stop_postgres "$TMP"
	# whatever is left in the servers' cgroups (redis-server, a postgres child) ends with them
	bench_cleanup_cgroups
	rm -rf "$TMP"
}
trap cleanup EXIT

# the report's verdict line and its first finding (title, severity line, evidence)
excerpt() {
	awk '
		/^## Verdict/ { v = 1; next }
		v && /^\*\*/ { print "Verdict: " $0; v = 0 }
		/^### 1\. / { f = 1; print ""; print "First finding: **" substr($0, 8) "**"; print ""; next }
		f && /^### / { exit }
		f && /^## / { exit }
		f && /^\*\*(Why|Recommendation)/ { print "" }
		f && NF { print }
	' "$1"
}

# trace cgroup NAME while "$@" runs; the capture in $TMP/NAME.csv, the report in $TMP/NAME.md
trace_while() {
	local name=$1
	shift
	$CLI trace --cgroup "$(bench_cgroup "$name")" --duration 60 --output "$TMP/$name.csv" 2> "$TMP/$name.trace" &
	local tracer=$!
	sleep 2
	"$@" > "$TMP/$name.load" 2>&1
	kill -INT "$tracer"
	wait "$tracer"
	$CLI report --input "$TMP/$name.csv" --output "$TMP/$name.md" > /dev/null
}

echo "corpus-reports: PostgreSQL $(basename "$(dirname "$PG_BIN")") + pgbench" >&2
start_postgres "$TMP" 600
PG_STARTED=1
"$PG_BIN/pgbench" -U postgres -i -s 2 -q -h 127.0.0.1 -p "$PG_PORT" postgres > /dev/null 2>&1
trace_while postgres "$PG_BIN/pgbench" -U postgres -c 4 -j 2 -T 5 -h 127.0.0.1 -p "$PG_PORT" postgres
tps=$(grep -o 'tps = [0-9.]*' "$TMP/postgres.load" | head -1)

echo "corpus-reports: Redis + redis-benchmark" >&2
start_redis "$TMP" 600
trace_while redis redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -n 100000 -c 20 -t set,get -q

{
	echo "<!-- corpus-reports:begin (written by bench/corpus-reports.sh on $(date -u +%Y-%m-%d); do not edit by hand) -->"
	echo "**PostgreSQL $(basename "$(dirname "$PG_BIN")") under \`pgbench -c 4 -j 2 -T 5\`** ($tps), traced with \`trace --cgroup\`:"
	echo
	excerpt "$TMP/postgres.md" | sed 's/^/> /'
	echo
	echo "**Redis under \`redis-benchmark -n 100000 -c 20 -t set,get\`**, traced with \`trace --cgroup\`:"
	echo
	excerpt "$TMP/redis.md" | sed 's/^/> /'
	echo "<!-- corpus-reports:end -->"
} > "$TMP/excerpt.md"

# the excerpt replaces what is between the markers (exclusive temp file, renamed into place)
out=$(mktemp README.md.tmp-XXXXXX)
awk -v f="$TMP/excerpt.md" '
	/<!-- corpus-reports:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
	/<!-- corpus-reports:end -->/ { skip = 0; next }
	!skip { print }
' README.md > "$out"
if cmp -s "$out" README.md; then rm -f "$out"; echo "corpus-reports: README.md has no corpus-reports markers" >&2; exit 1; fi
chmod --reference=README.md "$out"
mv "$out" README.md
cat "$TMP/excerpt.md"
