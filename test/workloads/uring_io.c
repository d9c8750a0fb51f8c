/*
 * file I/O through one io_uring (liburing): WRITES writes of BS bytes, an
 * fsync after every WRITES/FSYNCS of them, READS reads of cached blocks,
 * FAILS reads of a write-only fd (each fails with EBADF), DEPTH requests
 * submitted together and all waited for before the next batch; then NOPS
 * no-ops submitted without reaping any (more than the CQ ring's 2 x SQ
 * entries overflow it), reaped at the end; with -P MS, last, a read of an
 * empty pipe that never completes, left in flight for MS ms before exiting. the file is
 * filled with pwrite first (plain syscalls), so reads hit the page cache
 * unless -D. every result is checked; the process exits 1 on a wrong one.
 *
 *   uring_io [-r READS] [-w WRITES] [-f FSYNCS] [-e FAILS] [-o NOPS] [-d DEPTH]
 *            [-b BS] [-P MS] [-D] [-S] [-A] [-F] [DIR]
 *   -D O_DIRECT   -S SQPOLL ring   -A IOSQE_ASYNC on writes (always punted)
 *   -F the file registered: reads, writes and fsyncs use fixed file 0
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <liburing.h>
#include <sys/stat.h>
#include <unistd.h>
#include "workdir.h"

struct job {
	int fd;
	int op; /* IORING_OP_READ, _WRITE, _FSYNC */
	unsigned int flags;
	bool fixed; /* fd is registered as fixed file 0 */
	char *buf;
	size_t bs;
	long nblocks;
	int expect; /* the result each must have */
};

static long opt_long(const char *name, const char *s, long min, long max)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*end || *s == '\0' || n < min || n > max) {
		fprintf(stderr, "uring_io: %s must be a whole number in [%ld, %ld], not '%s'\n", name, min,
			max, s);
		exit(2);
	}
	return n;
}

/* n no-ops, a full SQ at a time, none reaped until all are submitted */
static void overflow(struct io_uring *ring, long n)
{
	long queued = 0;

	while (queued < n) {
		struct io_uring_sqe *sqe;
		int ret;

		while (queued < n && (sqe = io_uring_get_sqe(ring))) {
			io_uring_prep_nop(sqe);
			queued++;
		}
		ret = io_uring_submit(ring);
		if (ret < 0) {
			fprintf(stderr, "uring_io: io_uring_submit: %s\n", strerror(-ret));
			exit(1);
		}
	}
	for (long c = 0; c < n; c++) {
		struct io_uring_cqe *cqe;
		int ret = io_uring_wait_cqe(ring, &cqe);

		if (ret < 0 || cqe->res != 0) {
			fprintf(stderr, "uring_io: no-op %ld: %s\n", c, ret < 0 ? strerror(-ret) : "failed");
			exit(1);
		}
		io_uring_cqe_seen(ring, cqe);
	}
}

/* n requests of j, depth at a time: submit a batch, wait for all of it */
static void run(struct io_uring *ring, const struct job *j, long n, int depth)
{
	for (long i = 0; i < n;) {
		int k = 0, ret;

		for (; i < n && k < depth; i++, k++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			char *buf = j->buf + (size_t)k * j->bs;
			off_t off = (off_t)(i % j->nblocks) * j->bs;
			int fd = j->fixed ? 0 : j->fd;

			if (j->op == IORING_OP_READ)
				io_uring_prep_read(sqe, fd, buf, j->bs, off);
			else if (j->op == IORING_OP_WRITE)
				io_uring_prep_write(sqe, fd, buf, j->bs, off);
			else
				io_uring_prep_fsync(sqe, fd, 0);
			sqe->flags |= j->flags | (j->fixed ? IOSQE_FIXED_FILE : 0);
		}
		ret = io_uring_submit_and_wait(ring, k);
		if (ret < 0) {
			fprintf(stderr, "uring_io: io_uring_submit_and_wait: %s\n", strerror(-ret));
			exit(1);
		}
		for (int c = 0; c < k; c++) {
			struct io_uring_cqe *cqe;

			ret = io_uring_wait_cqe(ring, &cqe);
			if (ret < 0) {
				fprintf(stderr, "uring_io: io_uring_wait_cqe: %s\n", strerror(-ret));
				exit(1);
			}
			if (cqe->res != j->expect) {
				fprintf(stderr, "uring_io: opcode %d returned %d, not %d\n", j->op, cqe->res,
					j->expect);
				exit(1);
			}
			io_uring_cqe_seen(ring, cqe);
		}
	}
}

int main(int argc, char **argv)
{
	long reads = 0, writes = 0, fsyncs = 0, fails = 0, nops = 0, depth = 1, bs = 4096, pending_ms = -1;
	bool direct = false, sqpoll = false, async = false, fixed = false;
	struct io_uring_params params = {};
	struct io_uring ring;
	char dir[PATH_MAX], path[PATH_MAX];
	struct job j = {};
	int opt, ret, bad;

	while ((opt = getopt(argc, argv, "r:w:f:e:o:d:b:P:DSAF")) != -1) {
		switch (opt) {
		case 'r': reads = opt_long("-r", optarg, 0, 1 << 20); break;
		case 'w': writes = opt_long("-w", optarg, 0, 1 << 20); break;
		case 'f': fsyncs = opt_long("-f", optarg, 0, 1 << 20); break;
		case 'e': fails = opt_long("-e", optarg, 0, 1 << 20); break;
		case 'o': nops = opt_long("-o", optarg, 0, 1 << 20); break;
		case 'P': pending_ms = opt_long("-P", optarg, 0, 60000); break;
		case 'd': depth = opt_long("-d", optarg, 1, 256); break;
		case 'b': bs = opt_long("-b", optarg, 512, 1 << 20); break;
		case 'D': direct = true; break;
		case 'S': sqpoll = true; break;
		case 'A': async = true; break;
		case 'F': fixed = true; break;
		default:
			fprintf(stderr, "usage: uring_io [-r N] [-w N] [-f N] [-e N] [-o N] [-d DEPTH] [-b BS] [-P MS] [-D] [-S] [-A] [-F] [DIR]\n");
			return 2;
		}
	}
	if (fsyncs > writes) {
		fprintf(stderr, "uring_io: -f must not exceed -w (an fsync follows writes)\n");
		return 2;
	}
	make_workdir(argc, argv, optind, "uring_io", dir, sizeof(dir));
	join_path(path, sizeof(path), dir, "data");
	j.bs = bs;
	j.nblocks = 64;
	if (posix_memalign((void **)&j.buf, 4096, (size_t)depth * bs))
		fail("posix_memalign", path);
	memset(j.buf, 'u', (size_t)depth * bs);
	/* the file, filled and synced with plain syscalls: reads of it hit the page cache */
	j.fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (j.fd < 0)
		fail("open", path);
	for (long b = 0; b < j.nblocks; b++)
		if (pwrite(j.fd, j.buf, bs, b * bs) != bs)
			fail("pwrite", path);
	if (fsync(j.fd))
		fail("fsync", path);
	if (direct) {
		close(j.fd);
		j.fd = open(path, O_RDWR | O_DIRECT);
		if (j.fd < 0)
			fail("open O_DIRECT", path);
	}
	bad = open(path, O_WRONLY);
	if (bad < 0)
		fail("open", path);
	if (sqpoll) {
		params.flags = IORING_SETUP_SQPOLL;
		params.sq_thread_idle = 1000;
	}
	ret = io_uring_queue_init_params(depth < 8 ? 8 : depth, &ring, &params);
	if (ret < 0) {
		fprintf(stderr, "uring_io: io_uring_queue_init: %s\n", strerror(-ret));
		return 1;
	}

	if (fixed) {
		ret = io_uring_register_files(&ring, &j.fd, 1);
		if (ret < 0) {
			fprintf(stderr, "uring_io: io_uring_register_files: %s\n", strerror(-ret));
			return 1;
		}
		j.fixed = true;
	}

	/* writes, an fsync (alone) after every writes/fsyncs of them */
	j.op = IORING_OP_WRITE;
	j.flags = async ? IOSQE_ASYNC : 0;
	j.expect = bs;
	for (long f = 0, done = 0; done < writes; f++) {
		long chunk = fsyncs ? writes / fsyncs + (f < writes % fsyncs) : writes;
		struct job s = j;

		run(&ring, &j, chunk, depth);
		done += chunk;
		if (f < fsyncs) {
			s.op = IORING_OP_FSYNC;
			s.flags = 0;
			s.expect = 0;
			run(&ring, &s, 1, 1);
		}
	}
	j.op = IORING_OP_READ;
	j.flags = 0;
	run(&ring, &j, reads, depth);
	close(j.fd);
	j.fd = bad;
	j.fixed = false;
	j.expect = -EBADF;
	run(&ring, &j, fails, depth);
	overflow(&ring, nops);
	if (pending_ms >= 0) {
		int p[2];
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		if (pipe(p))
			fail("pipe", "");
		io_uring_prep_read(sqe, p[0], j.buf, bs, 0);
		if ((ret = io_uring_submit(&ring)) != 1) {
			fprintf(stderr, "uring_io: io_uring_submit: %s\n", strerror(-ret));
			return 1;
		}
		usleep(pending_ms * 1000);
	}

	io_uring_queue_exit(&ring);
	close(bad);
	unlink(path);
	rmdir(dir);
	return 0;
}
