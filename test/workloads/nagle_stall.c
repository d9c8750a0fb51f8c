/* Nagle and delayed ACK: one TCP connection on 127.0.0.1, Nagle left on.
 * The client writes each of COUNT requests (default 30) in two small writes,
 * a 20-byte header then a 30-byte body, and waits for the 10-byte answer; the
 * server thread answers only once it has read the whole 50-byte request. The
 * body waits in the client's kernel for the ACK of the header, which the
 * server's kernel delays (40 ms) hoping to send it with an answer that cannot
 * come before the body: most requests wait ~40 ms. The server waits in poll
 * on a non-blocking socket, as event loops do.
 * Usage: nagle_stall [COUNT] */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include "workdir.h"

static long count;
static int listener;

static void *server(void *arg)
{
	char req[50], reply[10] = "answer...";
	int c = accept(listener, NULL, NULL);

	(void)arg;
	if (c < 0 || fcntl(c, F_SETFL, O_NONBLOCK))
		fail("accept", "server");
	for (long i = 0; i < count; i++) {
		size_t got = 0;

		/* the whole request before answering */
		while (got < sizeof(req)) {
			struct pollfd p = { .fd = c, .events = POLLIN };
			ssize_t n;

			if (poll(&p, 1, -1) != 1)
				fail("poll", "server");
			n = recv(c, req + got, sizeof(req) - got, 0);
			if (n <= 0)
				fail("recv", "server");
			got += (size_t)n;
		}
		if (send(c, reply, sizeof(reply), 0) != sizeof(reply))
			fail("send", "server");
	}
	close(c);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	char header[20] = "POST / HTTP/1.1\r\nX:", body[30] = "0123456789012345678901234567\n", reply[10];
	pthread_t t;
	int s;

	arg_max(argc, argv, 1, "[COUNT]");
	count = arg_long(argc, argv, 1, 30, 1);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 1) ||
	    getsockname(listener, (struct sockaddr *)&addr, &len))
		fail("listen", "127.0.0.1");
	if ((errno = pthread_create(&t, NULL, server, NULL)))
		fail("pthread_create", "server");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)))
		fail("connect", "127.0.0.1");
	for (long i = 0; i < count; i++) {
		if (write(s, header, sizeof(header)) != sizeof(header) || write(s, body, sizeof(body)) != sizeof(body))
			fail("write", "client");
		if (recv(s, reply, sizeof(reply), MSG_WAITALL) != sizeof(reply))
			fail("recv", "client");
	}
	pthread_join(t, NULL);
	close(s);
	close(listener);
	return 0;
}
