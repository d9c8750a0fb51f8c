#!/usr/bin/env bash
# The README's real-program report excerpts: PostgreSQL under pgbench and Redis
# under redis-benchmark, each from its Debian package in its own cgroup on
# 127.0.0.1, traced with `trace --cgroup` while the load runs, reported with
# `report`; the verdict and the first finding of each go into README.md
# between the corpus-reports markers. Usage: sudo bench/corpus-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "corpus-reports: needs root (eBPF, cgroups): sudo bench/corpus-reports.sh" >&2; exit 1; }
CLI="node bin/syscall-prof.js"
PG=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
CGROOT=/sys/fs/cgroup/unified
[ -d "$CGROOT" ] || CGROOT=/sys/fs/cgroup
TMP=$(mktemp -d)
chmod 755 "$TMP"
PGPID=
cleanup() {
	[ -n "$PGPID" ] && su postgres -s /bin/sh -c "$PG/pg_ctl -D $TMP/pg -m immediate stop" >/dev/null 2>&1 || true
	# whatever is left in the servers' cgroups (redis-server, a postgres child) ends with them
	for cg in "$CGROOT"/syscall-prof-bench-$$-*; do
		[ -d "$cg" ] || continue
		echo 1 > "$cg/cgroup.kill" 2>/dev/null || true
		for _ in $(seq 20); do [ -s "$cg/cgroup.procs" ] || break; sleep 0.1; done
		rmdir "$cg" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# runs "$@" inside a new cgroup NAME (prints nothing; the cgroup path is $CGROOT/syscall-prof-bench-$$-NAME)
in_cgroup() {
	local cg="$CGROOT/syscall-prof-bench-$$-$1"
	shift
	mkdir -p "$cg"
	sh -c 'echo $$ > "$0/cgroup.procs" && shift && exec "$@"' "$cg" _ "$@"
}

# a free port on 127.0.0.1
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

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
	$CLI trace --cgroup "$CGROOT/syscall-prof-bench-$$-$name" --duration 60 --output "$TMP/$name.csv" 2> "$TMP/$name.trace" &
	local tracer=$!
	sleep 2
	"$@" > "$TMP/$name.load" 2>&1
	kill -INT "$tracer"
	wait "$tracer"
	$CLI report --input "$TMP/$name.csv" --output "$TMP/$name.md" > /dev/null
}

echo "corpus-reports: PostgreSQL $(basename "$(dirname "$PG")") + pgbench" >&2
mkdir "$TMP/pg" && chown postgres "$TMP/pg"
PGPORT=$(port)
su postgres -s /bin/sh -c "$PG/initdb -D $TMP/pg -A trust -U postgres" > /dev/null
in_cgroup pg su postgres -s /bin/sh -c "exec $PG/postgres -D $TMP/pg -c listen_addresses=127.0.0.1 -p $PGPORT -k $TMP/pg" > "$TMP/pg.log" 2>&1 &
PGPID=$!
for _ in $(seq 50); do su postgres -s /bin/sh -c "$PG/pg_isready -h 127.0.0.1 -p $PGPORT" > /dev/null 2>&1 && break; sleep 0.2; done
su postgres -s /bin/sh -c "$PG/pgbench -i -s 2 -q -h 127.0.0.1 -p $PGPORT postgres" > /dev/null 2>&1
trace_while pg su postgres -s /bin/sh -c "$PG/pgbench -c 4 -j 2 -T 5 -h 127.0.0.1 -p $PGPORT postgres"
tps=$(grep -o 'tps = [0-9.]*' "$TMP/pg.load" | head -1)

echo "corpus-reports: Redis + redis-benchmark" >&2
RPORT=$(port)
in_cgroup redis redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$TMP/redis.log" 2>&1 &
for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$RPORT" ping > /dev/null 2>&1 && break; sleep 0.2; done
trace_while redis redis-benchmark -h 127.0.0.1 -p "$RPORT" -n 100000 -c 20 -t set,get -q

{
	echo "<!-- corpus-reports:begin (written by bench/corpus-reports.sh on $(date -u +%Y-%m-%d); do not edit by hand) -->"
	echo "**PostgreSQL $(basename "$(dirname "$PG")") under \`pgbench -c 4 -j 2 -T 5\`** ($tps), traced with \`trace --cgroup\`:"
	echo
	excerpt "$TMP/pg.md" | sed 's/^/> /'
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
