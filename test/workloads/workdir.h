/* optional arguments ([COUNT [DIR]]) and a private work directory for the
 * rule workloads: files go into a fresh DIR/NAME-XXXXXX (DIR: the argument,
 * else $TMPDIR, else /tmp) that the workload removes before it exits */
#ifndef WORKLOAD_WORKDIR_H
#define WORKLOAD_WORKDIR_H
#include <limits.h>
#include <unistd.h>
#include "common.h"

/* argv[i] as a whole number >= min, or def when absent */
static inline long arg_long(int argc, char **argv, int i, long def, long min)
{
	char *end;
	long n;

	if (i >= argc)
		return def;
	n = strtol(argv[i], &end, 10);
	if (*end || argv[i][0] == '\0' || n < min) {
		fprintf(stderr, "%s: argument %d must be a whole number >= %ld, not '%s'\n", argv[0], i, min, argv[i]);
		exit(2);
	}
	return n;
}

/* refuses more than max arguments, with the usage line */
static inline void arg_max(int argc, char **argv, int max, const char *usage)
{
	if (argc - 1 > max) {
		fprintf(stderr, "usage: %s %s\n", argv[0], usage);
		exit(2);
	}
}

/* creates DIR/name-XXXXXX (DIR: argv[i], $TMPDIR or /tmp) into out */
static inline void make_workdir(int argc, char **argv, int i, const char *name, char *out, size_t size)
{
	const char *dir = i < argc ? argv[i] : getenv("TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(out, size, "%s/%s-XXXXXX", dir, name) >= size) {
		fprintf(stderr, "%s: directory name too long: %s\n", argv[0], dir);
		exit(2);
	}
	if (mkdtemp(out) == NULL)
		fail("mkdtemp", out);
}

/* out = dir/name */
static inline void join_path(char *out, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size) {
		fprintf(stderr, "path too long: %s/%s\n", dir, name);
		exit(2);
	}
}
#endif
