// SPDX-License-Identifier: MIT
/* frames on stdout: a varint length, then one Frame message; nothing else goes there */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "loader.h"
#include "syscall_nrs.h"

/* write all of buf; false when stdout is gone */
static bool write_all(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				warnx("writing a frame to stdout: %s", strerror(errno));
			return false;
		}
		p += n;
		len -= n;
	}
	return true;
}

enum stop_reason write_frame(const Syscallprof__Frame *frame)
{
	size_t len = syscallprof__frame__get_packed_size(frame);
	uint8_t hdr[10], *buf;
	size_t h = 0, v = len;
	bool ok;

	do {
		hdr[h++] = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);
		v >>= 7;
	} while (v);
	buf = malloc(h + len);
	if (!buf) {
		warnx("out of memory packing a frame of %zu bytes", len);
		return STOP_NO_MEMORY;
	}
	memcpy(buf, hdr, h);
	syscallprof__frame__pack(frame, buf + h);
	ok = write_all(buf, h + len);
	free(buf);
	return ok ? STOP_NONE : STOP_STDOUT_CLOSED;
}

/* the architecture built for, as the wire names it */
#if defined(__x86_64__)
#define SP_WIRE_ARCH SYSCALLPROF__ARCH__ARCH_X86_64
#elif defined(__aarch64__)
#define SP_WIRE_ARCH SYSCALLPROF__ARCH__ARCH_AARCH64
#else
#error "syscall-prof's loader builds for x86_64 and aarch64 only"
#endif

static Syscallprof__Mode mode_of(const struct opts *o)
{
	return o->command ? SYSCALLPROF__MODE__MODE_COMMAND :
	       o->npids	 ? SYSCALLPROF__MODE__MODE_PID :
	       o->cgroup ? SYSCALLPROF__MODE__MODE_CGROUP :
			   SYSCALLPROF__MODE__MODE_ALL;
}

/* --cost-stats values (cost_names' order) as the wire names them */
static const Syscallprof__CostStats cost_wire[] = {
	SYSCALLPROF__COST_STATS__COST_STATS_OFF,
	SYSCALLPROF__COST_STATS__COST_STATS_SAMPLED,
	SYSCALLPROF__COST_STATS__COST_STATS_FULL,
};

/* the first frame: static facts about the run */
enum stop_reason emit_header(const struct run *r)
{
	const struct opts *o = &r->opts;
	Syscallprof__Frame frame = SYSCALLPROF__FRAME__INIT;
	Syscallprof__Header hdr = SYSCALLPROF__HEADER__INIT;
	Syscallprof__HistogramLayout fine = SYSCALLPROF__HISTOGRAM_LAYOUT__INIT;
	Syscallprof__HistogramLayout coarse = SYSCALLPROF__HISTOGRAM_LAYOUT__INIT;
	uint32_t pids[MAX_PIDS];
	int n = 0;

	for (int i = 0; i < o->npids; i++)
		pids[n++] = o->pids[i];
	if (r->target.child > 0)
		pids[n++] = r->target.child;
	fine.sub_bits = FINE_SUB_BITS;
	fine.buckets = FINE_BUCKETS;
	coarse.sub_bits = COARSE_SUB_BITS;
	coarse.buckets = COARSE_BUCKETS;
	hdr.version = WIRE_VERSION;
	hdr.arch = SP_WIRE_ARCH;
	hdr.mode = mode_of(o);
	hdr.n_pids = n;
	hdr.pids = pids;
	hdr.follow = o->follow;
	hdr.start_mono_ns = r->start_mono;
	hdr.start_real_ns = r->start_real;
	hdr.fine = &fine;
	hdr.coarse = &coarse;
	hdr.interval_ms = o->interval_ms;
	hdr.bpf_map_bytes = r->map_bytes;
	hdr.cgroup = (char *)(o->cgroup ? o->cgroup : "");
	if (o->command) {
		while (o->command[hdr.n_command])
			hdr.n_command++;
		hdr.command = o->command;
	}
	hdr.cost_stats = cost_wire[r->cost.mode];
	hdr.events = o->events;
	hdr.n_event_syscalls = o->n_ev_nrs;
	hdr.event_syscalls = (uint32_t *)o->ev_nrs;
	hdr.event_min_duration_ns = o->min_duration_ns;
	hdr.event_failed_only = o->failed_only;
	hdr.ringbuf_bytes = o->events ? o->ringbuf_mb << 20 : 0;
	hdr.offcpu = !o->no_offcpu && !o->empty_mode;
	hdr.times = r->times.on;
	hdr.io_uring = r->uring.on;
	hdr.io_uring_off_reason = (char *)r->uring.off_reason;
	hdr.sample_period = o->empty_mode ? 1 : o->sample_period;
	hdr.tcp = r->tcp.on;
	hdr.stacks = o->stacks;
	if (o->stacks) {
		hdr.stacks_min_ns = o->stacks_min_ns;
		hdr.stack_bytes = o->stack_bytes;
		hdr.stacks_per_cpu_per_s = o->stacks_rate;
		hdr.kernel_stacks = o->kernel_stacks;
	}
	frame.body_case = SYSCALLPROF__FRAME__BODY_HEADER;
	frame.header = &hdr;
	return write_frame(&frame);
}
