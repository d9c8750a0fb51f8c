/* blocking network calls: a TCP server thread on 127.0.0.1 answers each
 * 8-byte request after DELAY_US microseconds (default 2000); the client
 * sends COUNT requests (default 50) one at a time and waits for each answer
 * in a blocking recv: 2 x COUNT sendto and 2 x COUNT recvfrom in all, the
 * client's recvs each blocked for about DELAY_US.
 * Usage: blocking_net [COUNT [DELAY_US]] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "workdir.h"

static long count, delay_ns;
static int listener;

static void *server(void *arg)
{
	struct timespec delay = { delay_ns / 1000000000L, delay_ns % 1000000000L };
	char req[8];
	int c = accept(listener, NULL, NULL);

	(void)arg;
	if (c < 0)
		fail("accept", "server");
	for (long i = 0; i < count; i++) {
		if (recv(c, req, sizeof(req), MSG_WAITALL) != sizeof(req))
			fail("recv", "server");
		nanosleep(&delay, NULL);
		if (send(c, req, sizeof(req), 0) != sizeof(req))
			fail("send", "server");
	}
	close(c);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	char msg[8] = "request";
	pthread_t t;
	int s;

	arg_max(argc, argv, 2, "[COUNT [DELAY_US]]");
	count = arg_long(argc, argv, 1, 50, 0);
	delay_ns = arg_long(argc, argv, 2, 2000, 0) * 1000;
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
		if (send(s, msg, sizeof(msg), 0) != sizeof(msg))
			fail("send", "client");
		if (recv(s, msg, sizeof(msg), MSG_WAITALL) != sizeof(msg))
			fail("recv", "client");
	}
	pthread_join(t, NULL);
	close(s);
	close(listener);
	return 0;
}
