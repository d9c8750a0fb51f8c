/* a listener with a small backlog that does not accept while CLIENTS connect at
 * once: the handshakes beyond the accept queue are dropped (ListenOverflows,
 * ListenDrops); after a short pause it accepts what was queued and exits.
 * BACKLOG 1 keeps 2 connections queued; a large BACKLOG drops none */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include "workdir.h"

#define MAX_CLIENTS 64

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	int clients[MAX_CLIENTS], listener, accepted = 0;
	long n, backlog;

	arg_max(argc, argv, 2, "[CLIENTS [BACKLOG]]");
	n = arg_long(argc, argv, 1, 6, 1);
	backlog = arg_long(argc, argv, 2, 1, 0);
	if (n > MAX_CLIENTS) {
		fprintf(stderr, "%s: at most %d clients\n", argv[0], MAX_CLIENTS);
		return 2;
	}
	listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, (int)backlog) ||
	    getsockname(listener, (struct sockaddr *)&addr, &len))
		fail("listen", "127.0.0.1");
	for (long i = 0; i < n; i++) {
		clients[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (clients[i] < 0 || (connect(clients[i], (struct sockaddr *)&addr, sizeof(addr)) && errno != EINPROGRESS))
			fail("connect", "127.0.0.1");
	}
	nanosleep(&pause, NULL);
	for (;;) {
		int c = accept4(listener, NULL, NULL, SOCK_NONBLOCK);

		if (c < 0)
			break;
		accepted++;
		close(c);
	}
	for (long i = 0; i < n; i++)
		close(clients[i]);
	close(listener);
	printf("accepted %d of %ld\n", accepted, n);
	return 0;
}
