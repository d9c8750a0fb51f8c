/* busy polling: COUNT times (default 2000) epoll_wait and poll with a zero
 * timeout on an eventfd with nothing to read (each returns 0), then the
 * event arrives (a write to the eventfd) and one more epoll_wait and poll
 * return 1 each, and the event is read: COUNT + 1 of each poll call.
 * Usage: busy_poll [COUNT] */
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct pollfd pfd = { .events = POLLIN };
	uint64_t one = 1;
	long n;
	int ep, efd;

	arg_max(argc, argv, 1, "[COUNT]");
	n = arg_long(argc, argv, 1, 2000, 0);
	efd = eventfd(0, EFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (efd < 0 || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev))
		fail("epoll set-up", "eventfd");
	pfd.fd = efd;
	for (long i = 0; i < n; i++)
		if (epoll_wait(ep, &out, 1, 0) != 0 || poll(&pfd, 1, 0) != 0)
			fail("poll", "eventfd");
	if (write(efd, &one, sizeof(one)) != sizeof(one))
		fail("write", "eventfd");
	if (epoll_wait(ep, &out, 1, 0) != 1 || poll(&pfd, 1, 0) != 1)
		fail("poll after the event", "eventfd");
	if (read(efd, &one, sizeof(one)) != sizeof(one))
		fail("read", "eventfd");
	close(ep);
	close(efd);
	return 0;
}
