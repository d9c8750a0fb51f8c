/* connection churn: a TCP server thread on 127.0.0.1 accepts COUNT
 * connections one after the other (default 300), reads a 16-byte request on
 * each, answers with 16 bytes and closes it; the client opens COUNT
 * connections, one request each. Both ends use non-blocking sockets and wait
 * in poll, as event loops do: the client connects (EINPROGRESS), waits for
 * the socket to be writable, reads SO_ERROR, sends, waits, receives, closes.
 * Usage: conn_churn [COUNT] */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include "workdir.h"

static long count;
static int listener;

/* waits until fd is ready for events */
static void wait_for(int fd, short events, const char *who)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, -1) != 1)
		fail("poll", who);
}

static void *server(void *arg)
{
	char req[16];

	(void)arg;
	for (long i = 0; i < count; i++) {
		int c;

		wait_for(listener, POLLIN, "server");
		c = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
		if (c < 0)
			fail("accept4", "server");
		wait_for(c, POLLIN, "server");
		if (recv(c, req, sizeof(req), MSG_WAITALL) != sizeof(req))
			fail("recv", "server");
		if (send(c, req, sizeof(req), 0) != sizeof(req))
			fail("send", "server");
		close(c);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	char msg[16] = "GET / HTTP/1.0\n";
	pthread_t t;

	arg_max(argc, argv, 1, "[COUNT]");
	count = arg_long(argc, argv, 1, 300, 1);
	listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 16) ||
	    getsockname(listener, (struct sockaddr *)&addr, &len))
		fail("listen", "127.0.0.1");
	if ((errno = pthread_create(&t, NULL, server, NULL)))
		fail("pthread_create", "server");
	for (long i = 0; i < count; i++) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0;
		socklen_t errlen = sizeof(err);

		if (s < 0 || (connect(s, (struct sockaddr *)&addr, sizeof(addr)) && errno != EINPROGRESS))
			fail("connect", "127.0.0.1");
		wait_for(s, POLLOUT, "client");
		if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &errlen) || err)
			fail("connect (SO_ERROR)", "127.0.0.1");
		if (send(s, msg, sizeof(msg), 0) != sizeof(msg))
			fail("send", "client");
		wait_for(s, POLLIN, "client");
		if (recv(s, msg, sizeof(msg), MSG_WAITALL) != sizeof(msg))
			fail("recv", "client");
		close(s);
	}
	pthread_join(t, NULL);
	close(listener);
	return 0;
}
