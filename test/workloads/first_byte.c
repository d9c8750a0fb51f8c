/* time to first byte: a TCP server thread on 127.0.0.1 accepts COUNT
 * connections (default 5) one after the other, reads an 8-byte request on
 * each and answers it DELAY_MS milliseconds later (default 200) with 8
 * bytes; the client opens each connection, sends its request and waits for
 * the answer in a blocking recv: each first response comes DELAY_MS after
 * the request.
 * Usage: first_byte [COUNT [DELAY_MS]] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "workdir.h"

static long count, delay_ms;
static int listener;

static void *server(void *arg)
{
	struct timespec delay = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
	char req[8];

	(void)arg;
	for (long i = 0; i < count; i++) {
		int c = accept(listener, NULL, NULL);

		if (c < 0)
			fail("accept", "server");
		if (recv(c, req, sizeof(req), MSG_WAITALL) != sizeof(req))
			fail("recv", "server");
		nanosleep(&delay, NULL);
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
	char msg[8] = "request";
	pthread_t t;

	arg_max(argc, argv, 2, "[COUNT [DELAY_MS]]");
	count = arg_long(argc, argv, 1, 5, 1);
	delay_ms = arg_long(argc, argv, 2, 200, 0);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 16) ||
	    getsockname(listener, (struct sockaddr *)&addr, &len))
		fail("listen", "127.0.0.1");
	if ((errno = pthread_create(&t, NULL, server, NULL)))
		fail("pthread_create", "server");
	for (long i = 0; i < count; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)))
			fail("connect", "127.0.0.1");
		if (send(s, msg, sizeof(msg), 0) != sizeof(msg))
			fail("send", "client");
		if (recv(s, msg, sizeof(msg), MSG_WAITALL) != sizeof(msg))
			fail("recv", "client");
		close(s);
	}
	pthread_join(t, NULL);
	close(listener);
	return 0;
}
