/*
 * two code paths to two syscalls, several calls deep, for stack attribution:
 *   main -> ledger_run -> ledger_commit_batch -> ledger_durable_commit -> fsync
 *   main -> ledger_run -> ledger_commit_batch -> ledger_append -> ledger_write_record -> write
 * COMMITS times: RECORDS small writes, then one fsync of a file in a private
 * directory on disk. built twice by the Makefile: stack_paths_fp (frame
 * pointers) and stack_paths_nofp (-fomit-frame-pointer), so that a stack can
 * only be right in the second with DWARF unwinding.
 * usage: stack_paths [COMMITS [RECORDS [DIR]]]
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "workdir.h"

struct ledger {
	int fd;
	long seq;
	char line[64];
};

/* keeps the compiler from folding the calls into their callers */
#define LEDGER_FN __attribute__((noinline, noipa)) static

LEDGER_FN void ledger_write_record(struct ledger *l, size_t len)
{
	if (write(l->fd, l->line, len) != (ssize_t)len)
		fail("write", "ledger");
	__asm__ volatile("" ::: "memory");
}

LEDGER_FN void ledger_append(struct ledger *l)
{
	int n = snprintf(l->line, sizeof(l->line), "record %ld\n", l->seq++);

	ledger_write_record(l, (size_t)n);
	__asm__ volatile("" ::: "memory");
}

LEDGER_FN void ledger_durable_commit(struct ledger *l)
{
	if (fsync(l->fd))
		fail("fsync", "ledger");
	__asm__ volatile("" ::: "memory");
}

LEDGER_FN void ledger_commit_batch(struct ledger *l, long records)
{
	for (long i = 0; i < records; i++)
		ledger_append(l);
	ledger_durable_commit(l);
	__asm__ volatile("" ::: "memory");
}

LEDGER_FN void ledger_run(struct ledger *l, long commits, long records)
{
	for (long c = 0; c < commits; c++)
		ledger_commit_batch(l, records);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct ledger l = { .fd = -1 };
	long commits, records;

	arg_max(argc, argv, 3, "[COMMITS [RECORDS [DIR]]]");
	commits = arg_long(argc, argv, 1, 50, 0);
	records = arg_long(argc, argv, 2, 20, 0);
	make_workdir(argc, argv, 3, "stack_paths", dir, sizeof(dir));
	join_path(path, sizeof(path), dir, "ledger");
	l.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (l.fd < 0)
		fail("open", path);
	ledger_run(&l, commits, records);
	close(l.fd);
	unlink(path);
	rmdir(dir);
	return 0;
}
