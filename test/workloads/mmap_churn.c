/* memory churn: COUNT times (default 500) maps 64 KiB of anonymous memory,
 * touches it and unmaps it, then mallocs a 256 KiB block, touches it and
 * frees it, with malloc tuned (no top pad, trim at once, mmap only above
 * 1 MiB) so each malloc grows the heap with brk and each free shrinks it:
 * COUNT mmap, COUNT munmap, 2 x COUNT brk. Usage: mmap_churn [COUNT] */
#include <malloc.h>
#include <sys/mman.h>
#include "workdir.h"

#define MAP_BYTES (64 * 1024)
#define HEAP_BYTES (256 * 1024)

int main(int argc, char **argv)
{
	long n;

	arg_max(argc, argv, 1, "[COUNT]");
	n = arg_long(argc, argv, 1, 500, 0);
	if (!mallopt(M_TOP_PAD, 0) || !mallopt(M_TRIM_THRESHOLD, 0) || !mallopt(M_MMAP_THRESHOLD, 1024 * 1024))
		fail("mallopt", "");
	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *q;

		if (p == MAP_FAILED)
			fail("mmap", "");
		memset(p, 1, MAP_BYTES);
		if (munmap(p, MAP_BYTES))
			fail("munmap", "");
		q = malloc(HEAP_BYTES);
		if (q == NULL)
			fail("malloc", "");
		memset(q, 1, HEAP_BYTES);
		free(q);
	}
	return 0;
}
