/* reset connections: a TCP listener on 127.0.0.1; the client opens COUNT
 * connections (default 20) one after the other and aborts each (SO_LINGER
 * with a zero timeout, then close: a RST instead of a FIN). The server
 * accepts each one and waits for it to end: its read fails with ECONNRESET,
 * and it closes its end. Both ends of every connection end by a reset.
 * Usage: conn_reset [COUNT] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct linger abort_now = { .l_onoff = 1, .l_linger = 0 };
	socklen_t len = sizeof(addr);
	long count;
	int listener;

	arg_max(argc, argv, 1, "[COUNT]");
	count = arg_long(argc, argv, 1, 20, 1);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(listener, (struct sockaddr *)&addr, &len) || listen(listener, 16))
		fail("listen", "127.0.0.1");
	for (long i = 0; i < count; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s;
		char b;

		if (c < 0 || connect(c, (struct sockaddr *)&addr, sizeof(addr)))
			fail("connect", "client");
		s = accept(listener, NULL, NULL);
		if (s < 0)
			fail("accept", "server");
		if (setsockopt(c, SOL_SOCKET, SO_LINGER, &abort_now, sizeof(abort_now)))
			fail("setsockopt SO_LINGER", "client");
		close(c);
		if (read(s, &b, 1) != -1 || errno != ECONNRESET)
			fail("read (expected ECONNRESET)", "server");
		close(s);
	}
	close(listener);
	return 0;
}
