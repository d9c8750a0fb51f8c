# Sourced by the bench scripts that run real servers (bench/services.sh,
# bench/corpus-reports.sh): PostgreSQL and Redis from their Debian packages,
# each in a cgroup v2 directory of its own, listening on 127.0.0.1 only, with
# their data in the caller's scratch directory, and a bounded lifetime. The
# same approach as the corpus harness (test/corpus/harness/services.ts), in
# shell. Every cgroup made here is named syscall-prof-bench-PID-NAME (PID: the
# sourcing script's) and is ended by bench_cleanup_cgroups, which the caller's
# EXIT trap runs.

# where cgroup v2 is mounted (hybrid hosts mount it apart, at unified/)
BENCH_CGROOT=/sys/fs/cgroup/unified
[ -e "$BENCH_CGROOT/cgroup.procs" ] || BENCH_CGROOT=/sys/fs/cgroup
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

# the path of cgroup NAME
bench_cgroup() { echo "$BENCH_CGROOT/syscall-prof-bench-$$-$1"; }

# in_cgroup NAME SECONDS SIGNAL COMMAND...: runs COMMAND inside a new cgroup
# NAME (its children follow it there), sent SIGNAL after SECONDS and SIGKILL
# 10 s later if still running. timeout puts it in a process group of its own:
# a Ctrl-C at the terminal reaches the script, whose trap ends the cgroup.
# timeout itself stays outside the cgroup: only the server is in it, so a
# trace of the cgroup sees the server's threads and no idle wrapper.
in_cgroup() {
	local cg secs sig
	cg=$(bench_cgroup "$1")
	secs=$2
	sig=$3
	mkdir -p "$cg"
	shift 3
	timeout -s "$sig" -k 10 "$secs" sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}

# usage_usec of cgroup NAME: CPU time of everything in it (also without the cpu controller)
cgroup_usec() { awk '$1 == "usage_usec" { print $2 }' "$(bench_cgroup "$1")/cpu.stat"; }

# the pids in cgroup NAME
cgroup_pids() { cat "$(bench_cgroup "$1")/cgroup.procs" 2>/dev/null || true; }

# ends everything in cgroup NAME (SIGKILL through cgroup.kill) and removes it
kill_cgroup() {
	local cg i
	cg=$(bench_cgroup "$1")
	[ -d "$cg" ] || return 0
	echo 1 > "$cg/cgroup.kill" 2>/dev/null || true
	# (cgroup files show a size of 0: read them; rmdir can fail for a moment after the last process left)
	for ((i = 0; i < 100; i++)); do
		if [ -z "$(cat "$cg/cgroup.procs" 2> /dev/null)" ] && rmdir "$cg" 2> /dev/null; then return 0; fi
		sleep 0.1
	done
	echo "cgroup $cg is still busy: $(tr '\n' ' ' < "$cg/cgroup.procs")" >&2
}

# ends every cgroup this script made
bench_cleanup_cgroups() {
	local cg
	for cg in "$BENCH_CGROOT"/syscall-prof-bench-$$-*; do
		[ -d "$cg" ] && kill_cgroup "${cg##*/syscall-prof-bench-$$-}"
	done
	return 0
}

# a TCP port free on 127.0.0.1 now
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_port PORT SECONDS: until something accepts connections on 127.0.0.1:PORT
wait_port() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# start_postgres DIR SECONDS: a fresh cluster in DIR/pg served for at most
# SECONDS from cgroup "postgres", as the postgres user (the server refuses
# root; DIR's parents must let it through), with the server's defaults (fsync
# and synchronous_commit on) except where it listens. Sets PG_PORT; the log is
# DIR/postgres.log.
start_postgres() {
	local dir=$1 secs=$2
	[ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed (make deps-corpus installs it)" >&2; return 1; }
	chmod 755 "$dir"
	mkdir "$dir/pg" && chown postgres: "$dir/pg"
	setpriv --reuid postgres --regid postgres --init-groups -- \
		"$PG_BIN/initdb" -D "$dir/pg" -A trust -U postgres -E UTF8 --no-sync > "$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; return 1; }
	PG_PORT=$(free_port)
	# SIGINT: PostgreSQL's fast shutdown
	in_cgroup postgres "$secs" INT setpriv --reuid postgres --regid postgres --init-groups -- \
		"$PG_BIN/postgres" -D "$dir/pg" -p "$PG_PORT" -c listen_addresses=127.0.0.1 -k "$dir/pg" \
		> "$dir/postgres.log" 2>&1 &
	wait_port "$PG_PORT" 60 || { cat "$dir/postgres.log" >&2; echo "postgres did not listen on port $PG_PORT" >&2; return 1; }
}

# stop_postgres DIR: a fast shutdown, then whatever is left in its cgroup ends
stop_postgres() {
	setpriv --reuid postgres --regid postgres --init-groups -- \
		"$PG_BIN/pg_ctl" -D "$1/pg" -m fast -t 20 stop > /dev/null 2>&1 || true
	kill_cgroup postgres
}

# start_redis DIR SECONDS: redis-server with persistence off (as a cache runs)
# for at most SECONDS from cgroup "redis". Sets REDIS_PORT; log in DIR/redis.log.
start_redis() {
	local dir=$1 secs=$2
	REDIS_PORT=$(free_port)
	in_cgroup redis "$secs" TERM redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$dir" --daemonize no > "$dir/redis.log" 2>&1 &
	wait_port "$REDIS_PORT" 60 || { cat "$dir/redis.log" >&2; echo "redis did not listen on port $REDIS_PORT" >&2; return 1; }
}

stop_redis() { kill_cgroup redis; }
