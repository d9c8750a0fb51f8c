// SPDX-License-Identifier: MIT
/*
 * which argument of a syscall carries extra data for event mode: a path, a
 * socket address or the fds the kernel filled. by x86_64 syscall number; a
 * generated per-architecture header is to replace this table, here alone.
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "loader.h"

/* extra data per syscall (x86_64 numbers): kind << 4 | argument index */
static const struct { uint16_t nr; uint8_t kind, arg; } data_specs[] = {
	/* a path argument (execve's is gone by its exit: the exec event names it) */
	{ 2, DATA_PATH, 0 },	/* open */
	{ 4, DATA_PATH, 0 },	/* stat */
	{ 6, DATA_PATH, 0 },	/* lstat */
	{ 21, DATA_PATH, 0 },	/* access */
	{ 76, DATA_PATH, 0 },	/* truncate */
	{ 80, DATA_PATH, 0 },	/* chdir */
	{ 82, DATA_PATH, 0 },	/* rename */
	{ 83, DATA_PATH, 0 },	/* mkdir */
	{ 84, DATA_PATH, 0 },	/* rmdir */
	{ 85, DATA_PATH, 0 },	/* creat */
	{ 86, DATA_PATH, 0 },	/* link */
	{ 87, DATA_PATH, 0 },	/* unlink */
	{ 88, DATA_PATH, 0 },	/* symlink */
	{ 89, DATA_PATH, 0 },	/* readlink */
	{ 90, DATA_PATH, 0 },	/* chmod */
	{ 92, DATA_PATH, 0 },	/* chown */
	{ 133, DATA_PATH, 0 },	/* mknod */
	{ 137, DATA_PATH, 0 },	/* statfs */
	{ 191, DATA_PATH, 0 },	/* getxattr */
	{ 192, DATA_PATH, 0 },	/* lgetxattr */
	{ 254, DATA_PATH, 1 },	/* inotify_add_watch */
	{ 257, DATA_PATH, 1 },	/* openat */
	{ 258, DATA_PATH, 1 },	/* mkdirat */
	{ 259, DATA_PATH, 1 },	/* mknodat */
	{ 260, DATA_PATH, 1 },	/* fchownat */
	{ 262, DATA_PATH, 1 },	/* newfstatat */
	{ 263, DATA_PATH, 1 },	/* unlinkat */
	{ 264, DATA_PATH, 1 },	/* renameat */
	{ 265, DATA_PATH, 1 },	/* linkat */
	{ 267, DATA_PATH, 1 },	/* readlinkat */
	{ 268, DATA_PATH, 1 },	/* fchmodat */
	{ 269, DATA_PATH, 1 },	/* faccessat */
	{ 280, DATA_PATH, 1 },	/* utimensat */
	{ 316, DATA_PATH, 1 },	/* renameat2 */
	{ 332, DATA_PATH, 1 },	/* statx */
	{ 437, DATA_PATH, 1 },	/* openat2 */
	{ 439, DATA_PATH, 1 },	/* faccessat2 */
	/* a socket address and its length */
	{ 42, DATA_SOCKADDR, 1 },	/* connect */
	{ 44, DATA_SOCKADDR, 4 },	/* sendto */
	{ 49, DATA_SOCKADDR, 1 },	/* bind */
	/* a socket address the kernel filled, and a pointer to its length */
	{ 43, DATA_SOCKADDR_PTRLEN, 1 },	/* accept */
	{ 45, DATA_SOCKADDR_PTRLEN, 4 },	/* recvfrom */
	{ 51, DATA_SOCKADDR_PTRLEN, 1 },	/* getsockname */
	{ 52, DATA_SOCKADDR_PTRLEN, 1 },	/* getpeername */
	{ 288, DATA_SOCKADDR_PTRLEN, 1 },	/* accept4 */
	/* two fds the kernel filled */
	{ 22, DATA_PIPE_FDS, 0 },	/* pipe */
	{ 53, DATA_PIPE_FDS, 3 },	/* socketpair */
	{ 293, DATA_PIPE_FDS, 0 },	/* pipe2 */
};

/* fill the kernel's data_spec map: kind << 4 | argument index, per syscall */
int specs_load(int data_spec_fd)
{
	for (size_t i = 0; i < sizeof(data_specs) / sizeof(data_specs[0]); i++) {
		uint32_t key = data_specs[i].nr;
		uint8_t v = data_specs[i].kind << 4 | data_specs[i].arg;

		if (bpf_map_update_elem(data_spec_fd, &key, &v, BPF_ANY)) {
			warnx("setting the data spec of syscall %u: %s", key, strerror(errno));
			return -1;
		}
	}
	return 0;
}
