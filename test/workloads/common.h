/* shared argument parsing for the workloads: each takes COUNT and PATH */
#ifndef WORKLOAD_COMMON_H
#define WORKLOAD_COMMON_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline long parse_args(int argc, char **argv, const char **path)
{
	char *end;
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s COUNT PATH\n", argv[0]);
		exit(2);
	}
	n = strtol(argv[1], &end, 10);
	if (*end || n < 0) {
		fprintf(stderr, "%s: COUNT must be a whole number >= 0\n", argv[0]);
		exit(2);
	}
	*path = argv[2];
	return n;
}

static inline void fail(const char *what, const char *path)
{
	fprintf(stderr, "%s %s: %s\n", what, path, strerror(errno));
	exit(1);
}
#endif
