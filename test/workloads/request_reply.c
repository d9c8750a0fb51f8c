/* request/response: a client sends COUNT (default 2000) small requests over a
 * non-blocking socketpair, one at a time, and a server answers each with a
 * small reply before the next comes; both wait for readiness with poll (Redis
 * without pipelining, in miniature).
 * Usage: request_reply [COUNT] */
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "workdir.h"

/* reads what is there once fd is readable */
static ssize_t read_ready(int fd, void *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, -1) != 1)
		return -1;
	return read(fd, buf, len);
}

int main(int argc, char **argv)
{
	int sv[2];
	char req[32] = "GET key:000000000000\r\n", reply[16];
	long n;
	pid_t child;

	arg_max(argc, argv, 1, "[COUNT]");
	n = arg_long(argc, argv, 1, 2000, 1);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv))
		fail("socketpair", "");
	child = fork();
	if (child < 0)
		fail("fork", "");
	if (child == 0) {
		/* the server: read a request, write the reply */
		char buf[64];
		close(sv[0]);
		for (long i = 0; i < n; i++)
			if (read_ready(sv[1], buf, sizeof(buf)) <= 0 || write(sv[1], "$5\r\nvalue\r\n", 11) != 11)
				fail("server read/write", "socket");
		_exit(0);
	}
	close(sv[1]);
	for (long i = 0; i < n; i++)
		if (write(sv[0], req, 22) != 22 || read_ready(sv[0], reply, sizeof(reply)) <= 0)
			fail("client write/read", "socket");
	waitpid(child, NULL, 0);
	return 0;
}
