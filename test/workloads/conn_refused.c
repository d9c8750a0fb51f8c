/* refused connections: binds a TCP port on 127.0.0.1 without listening on
 * it, then tries COUNT times (default 20) to connect to it: each connect
 * fails with ECONNREFUSED, and the socket is closed.
 * Usage: conn_refused [COUNT] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	long count;
	int holder;

	arg_max(argc, argv, 1, "[COUNT]");
	count = arg_long(argc, argv, 1, 20, 1);
	/* a bound port nobody listens on: connects to it are refused */
	holder = socket(AF_INET, SOCK_STREAM, 0);
	if (holder < 0 || bind(holder, (struct sockaddr *)&addr, sizeof(addr)) || getsockname(holder, (struct sockaddr *)&addr, &len))
		fail("bind", "127.0.0.1");
	for (long i = 0; i < count; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0)
			fail("socket", "client");
		if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) == 0 || errno != ECONNREFUSED)
			fail("connect (expected ECONNREFUSED)", "127.0.0.1");
		close(s);
	}
	close(holder);
	return 0;
}
