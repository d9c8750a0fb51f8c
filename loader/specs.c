// SPDX-License-Identifier: MIT
/*
 * which argument of a syscall carries extra data for event mode: a path, a
 * socket address or the fds the kernel filled. the table comes from the
 * generated header of the architecture being built for (scripts/syscall-args.txt).
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "loader.h"
#include "syscall_nrs.h"

#define SPEC(nr, kind, arg) { nr, DATA_SPEC(kind, arg) },
static const struct { uint16_t nr; uint8_t spec; } data_specs[] = { SP_DATA_SPECS(SPEC) };
#undef SPEC

/* fill the kernel's data_spec map: kind << 4 | argument index, per syscall */
int specs_load(int data_spec_fd)
{
	for (size_t i = 0; i < sizeof(data_specs) / sizeof(data_specs[0]); i++) {
		uint32_t key = data_specs[i].nr;
		uint8_t v = data_specs[i].spec;

		if (bpf_map_update_elem(data_spec_fd, &key, &v, BPF_ANY)) {
			warnx("setting the data spec of syscall %u: %s", key, strerror(errno));
			return -1;
		}
	}
	return 0;
}
