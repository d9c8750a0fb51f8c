// SPDX-License-Identifier: MIT
/* our own cost: the kernel's BPF run-time statistics, in windows, and our maps' memory */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "loader.h"

/* open a window of BPF run-time statistics (turns cost off if the kernel refuses) */
void cost_on(struct cost *c, uint64_t now)
{
	if (c->mode == COST_OFF || c->stats_fd >= 0)
		return;
	c->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (c->stats_fd < 0) {
		warnx("cannot enable BPF run-time statistics: %s (cost not reported)",
		      strerror(errno));
		c->mode = COST_OFF;
		return;
	}
	c->since = now;
	c->until = now + c->interval_ms * 10000ULL * COST_DUTY_PCT;
}

void cost_off(struct cost *c, uint64_t now)
{
	if (c->stats_fd < 0)
		return;
	close(c->stats_fd);
	c->stats_fd = -1;
	c->window_ns += now - c->since;
}

/* wall time the statistics have been on, the open window included */
uint64_t cost_window(const struct cost *c, uint64_t now)
{
	return c->window_ns + (c->stats_fd >= 0 ? now - c->since : 0);
}

/* run time and count of each loaded program, as the kernel counts them */
size_t read_costs(struct bpf_object *obj, Syscallprof__ProgramCost *store,
		  Syscallprof__ProgramCost **ptrs, size_t max)
{
	struct bpf_program *prog;
	size_t n = 0;

	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info = {};
		uint32_t len = sizeof(info);

		if (n == max || bpf_program__fd(prog) < 0 || !bpf_program__autoload(prog))
			continue;
		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		syscallprof__program_cost__init(&store[n]);
		store[n].name = (char *)bpf_program__name(prog);
		store[n].run_time_ns = info.run_time_ns;
		store[n].run_count = info.run_cnt;
		ptrs[n] = &store[n];
		n++;
	}
	return n;
}

/* sum of /proc/self/fdinfo memlock over our maps: the kernel's own accounting */
uint64_t maps_memlock(struct bpf_object *obj)
{
	struct bpf_map *map;
	uint64_t total = 0;

	bpf_object__for_each_map(map, obj) {
		char path[64], line[128];
		unsigned long long v;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", bpf_map__fd(map));
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "memlock: %llu", &v) == 1)
				total += v;
		fclose(f);
	}
	return total;
}
