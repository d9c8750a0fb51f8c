// SPDX-License-Identifier: MIT
/*
 * unwinding a slow call's user stack in the loader, as perf's
 * --call-graph dwarf does (tools/perf/util/unwind-libdw.c) but from records
 * of chosen calls only: elfutils libdwfl reads each binary's .eh_frame or
 * .debug_frame and walks the copied stack slice from the call's registers.
 * the kernel's frame-pointer walk is the fallback, and the tail beyond the
 * slice when its frames line up with the DWARF ones.
 *
 * per process: a libdwfl session holding its mappings (/proc/PID/maps, read
 * again when an address falls outside them or the executable changed) and
 * the binaries' unwind tables; UNWIND_PROCS of them, the least recently used
 * goes. a process that exited before its first record was read has no maps:
 * its stacks are WHY_GONE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>
#include "stacks.h"

#if defined(__x86_64__)
#define DW_REG_FP 6 /* rbp */
#define DW_REG_SP 7 /* rsp */
#elif defined(__aarch64__)
#define DW_REG_FP 29
#define DW_REG_LR 30
#define DW_REG_SP 31
#else
#error "the unwinder knows x86_64 and aarch64 only"
#endif

struct uproc {
	uint32_t tgid;
	Dwfl *dwfl; /* NULL: the maps could not be read */
	dev_t exe_dev;
	ino_t exe_ino;
	uint64_t maps; /* maps_hash() at the last read */
	uint64_t used;	  /* the unwinder's tick at the last use */
	struct unwinder *u;
};

struct unwinder {
	struct uproc procs[UNWIND_PROCS];
	uint64_t tick;
	char *debuginfo_path;
	Dwfl_Callbacks callbacks;
	/* the record being unwound, for the callbacks */
	const struct unwind_in *in;
	bool read_past; /* a read fell outside the slice */
	bool short_slice; /* the DWARF walk stopped at the slice's end */
	struct unwind_out *out;
};

static bool exe_id(uint32_t tgid, dev_t *dev, ino_t *ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/exe", tgid);
	if (stat(path, &st))
		return false;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return true;
}

/* libdwfl's thread callbacks: one thread, the record's, frozen in the record */
static pid_t cb_next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct uproc *p = arg;

	(void)dwfl;
	if (*thread_argp)
		return 0;
	*thread_argp = p;
	return p->u->in->tid;
}

static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct uproc *p = arg;

	(void)dwfl;
	*thread_argp = p;
	return (uint32_t)tid == p->u->in->tid;
}

/* stack memory comes from the slice only: the live stack has moved on */
static bool cb_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct unwinder *u = ((struct uproc *)arg)->u;
	uint64_t sp = u->in->regs[STACK_REG_SP];

	(void)dwfl;
	if (addr < sp || addr - sp > u->in->slice_len || u->in->slice_len - (addr - sp) < 8) {
		u->read_past = true;
		return false;
	}
	memcpy(result, u->in->slice + (addr - sp), sizeof(*result));
	return true;
}

static bool cb_set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	const struct unwind_in *in = ((struct uproc *)arg)->u->in;
	Dwarf_Word fp = in->regs[STACK_REG_FP], sp = in->regs[STACK_REG_SP];

	if (!dwfl_thread_state_registers(thread, DW_REG_FP, 1, &fp) ||
	    !dwfl_thread_state_registers(thread, DW_REG_SP, 1, &sp))
		return false;
#ifdef DW_REG_LR
	Dwarf_Word lr = in->regs[STACK_REG_LR];

	if (!dwfl_thread_state_registers(thread, DW_REG_LR, 1, &lr))
		return false;
#endif
	dwfl_thread_state_register_pc(thread, in->regs[STACK_REG_IP]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = cb_next_thread,
	.get_thread = cb_get_thread,
	.memory_read = cb_memory_read,
	.set_initial_registers = cb_set_initial_registers,
};

struct unwinder *unwinder_new(void)
{
	struct unwinder *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	/* separate debug files: /usr/lib/debug/.build-id/, then by debuglink */
	u->debuginfo_path = strdup("-:.debug:/usr/lib/debug");
	if (!u->debuginfo_path) {
		free(u);
		return NULL;
	}
	u->callbacks = (Dwfl_Callbacks){
		.find_elf = dwfl_linux_proc_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.debuginfo_path = &u->debuginfo_path,
	};
	for (int i = 0; i < UNWIND_PROCS; i++)
		u->procs[i].u = u;
	return u;
}

static void proc_drop(struct uproc *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	p->dwfl = NULL;
	p->tgid = 0;
}

void unwinder_free(struct unwinder *u)
{
	if (!u)
		return;
	for (int i = 0; i < UNWIND_PROCS; i++)
		proc_drop(&u->procs[i]);
	free(u->debuginfo_path);
	free(u);
}

/*
 * (re)reads the process's maps into a new session, which replaces the old
 * one only when they could be read (a gone process keeps what it had). a
 * fresh session rather than one added to: ld.so maps a library in steps, and
 * a module reported half-mapped would keep its first range
 */
static bool proc_read(struct unwinder *u, struct uproc *p)
{
	Dwfl *dwfl = dwfl_begin(&u->callbacks);

	if (!dwfl)
		return false;
	dwfl_report_begin(dwfl);
	if (dwfl_linux_proc_report(dwfl, p->tgid) || dwfl_report_end(dwfl, NULL, NULL) ||
	    !dwfl_attach_state(dwfl, NULL, p->tgid, &thread_callbacks, p)) {
		dwfl_end(dwfl);
		return false;
	}
	if (p->dwfl)
		dwfl_end(p->dwfl);
	p->dwfl = dwfl;
	return true;
}

/* the process's slot: kept, or taken from the least recently used */
static struct uproc *proc_get(struct unwinder *u, uint32_t tgid)
{
	struct uproc *p = NULL, *lru = &u->procs[0];
	dev_t dev;
	ino_t ino;

	u->tick++;
	for (int i = 0; i < UNWIND_PROCS && !p; i++) {
		if (u->procs[i].tgid == tgid)
			p = &u->procs[i];
		else if (u->procs[i].used < lru->used)
			lru = &u->procs[i];
	}
	if (!p) {
		p = lru;
		proc_drop(p);
		p->tgid = tgid;
		p->exe_dev = 0;
		p->exe_ino = 0;
		p->maps = 0;
		if (exe_id(tgid, &dev, &ino)) {
			p->exe_dev = dev;
			p->exe_ino = ino;
		}
		proc_read(u, p);
	} else if (exe_id(tgid, &dev, &ino) && (dev != p->exe_dev || ino != p->exe_ino)) {
		/* an exec, or the pid went to another program */
		p->exe_dev = dev;
		p->exe_ino = ino;
		proc_read(u, p);
	}
	p->used = u->tick;
	return p;
}

/* a hash of the process's maps now (0: they cannot be read) */
static uint64_t maps_hash(uint32_t tgid)
{
	char path[64], buf[8192];
	uint64_t h = 1469598103934665603ULL;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/maps", tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ (uint8_t)buf[i]) * 1099511628211ULL;
	close(fd);
	return n < 0 ? 0 : h | 1;
}

/*
 * the maps again when addr is outside them (a new mmap, dlopen), unless they
 * have not changed since the last read (JIT code, or an exited process)
 */
static void proc_cover(struct unwinder *u, struct uproc *p, uint64_t addr)
{
	uint64_t h;

	if (p->dwfl && dwfl_addrmodule(p->dwfl, addr))
		return;
	h = maps_hash(p->tgid);
	if (!h || h == p->maps)
		return;
	p->maps = h;
	proc_read(u, p);
}

void unwind_prepare(struct unwinder *u, const struct unwind_in *in)
{
	struct uproc *p = proc_get(u, in->tgid);

	proc_cover(u, p, in->regs[STACK_REG_IP]);
}

struct Dwfl *unwinder_dwfl(struct unwinder *u, uint32_t tgid)
{
	return proc_get(u, tgid)->dwfl;
}

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct unwind_out *out = arg;
	Dwarf_Addr pc;

	if (!dwfl_frame_pc(state, &pc, NULL))
		return DWARF_CB_ABORT;
	if (out->n == UNWIND_MAX_FRAMES) {
		out->why = WHY_TOO_DEEP;
		return DWARF_CB_ABORT;
	}
	out->ips[out->n++] = pc;
	return DWARF_CB_OK;
}

/* DWARF unwinding of the slice into out; true when it reached the outermost frame */
static bool unwind_dwarf(struct unwinder *u, struct uproc *p, struct unwind_out *out)
{
	int ret;

	out->n = 0;
	out->why = NULL;
	u->read_past = false;
	ret = dwfl_getthread_frames(p->dwfl, u->in->tid, frame_cb, out);
	/* a read past the slice ends the walk as quietly as the outermost frame does */
	if (ret == 0 && out->n > 0 && !u->read_past)
		return true;
	/* ld.so's _start has no CFI that ends the walk: it is the outermost frame all the same */
	if (out->n > 1 && !out->why) {
		Dwfl_Module *m = dwfl_addrmodule(p->dwfl, out->ips[out->n - 1] - 1);
		const char *name = m ? dwfl_module_addrname(m, out->ips[out->n - 1] - 1) : NULL;

		if (name && !strcmp(name, "_start"))
			return true;
	}
	if (out->why)
		return false;
	u->short_slice = u->read_past;
	if (u->read_past)
		out->why = WHY_SLICE_SHORT;
	else if (out->n > 0 && !dwfl_addrmodule(p->dwfl, out->ips[out->n - 1] - (out->n > 1)))
		out->why = WHY_NOT_MAPPED;
	else if (out->n > 0)
		out->why = WHY_NO_CFI;
	else
		out->why = WHY_UNWIND_ERROR;
	return false;
}

/* how many of the frame-pointer frames lie in mapped files, from the first */
static int fp_mapped(struct uproc *p, const struct unwind_in *in)
{
	int n = 0;

	while (n < in->n_fp && in->fp_ips[n] && p->dwfl &&
	       dwfl_addrmodule(p->dwfl, in->fp_ips[n] - (n > 0)))
		n++;
	return n;
}

/* the frame-pointer frames that follow the DWARF ones: the tail the slice did not hold */
static void splice_fp(const struct unwind_in *in, int mapped, struct unwind_out *out)
{
	uint64_t last = out->ips[out->n - 1];

	for (int i = 1; i < mapped; i++) {
		if (in->fp_ips[i] != last)
			continue;
		for (int j = i + 1; j < mapped && out->n < UNWIND_MAX_FRAMES; j++)
			out->ips[out->n++] = in->fp_ips[j];
		out->why = mapped < in->n_fp ? WHY_FP_BROKEN : NULL;
		out->done = out->why ? UNWIND_PARTIAL : UNWIND_FULL;
		return;
	}
}

void unwind_stack(struct unwinder *u, const struct unwind_in *in, struct unwind_out *out)
{
	struct uproc *p = proc_get(u, in->tgid);
	int mapped;

	u->in = in;
	out->n = 0;
	out->how = UNWIND_DWARF;
	out->done = UNWIND_NONE;
	out->why = NULL;
	u->short_slice = false;
	proc_cover(u, p, in->regs[STACK_REG_IP]);
	if (!p->dwfl) {
		/* nothing to unwind or name with: keep what the kernel walked */
		out->how = UNWIND_FP;
		for (int i = 0; i < in->n_fp && out->n < UNWIND_MAX_FRAMES; i++)
			out->ips[out->n++] = in->fp_ips[i];
		out->done = out->n > 1 ? UNWIND_PARTIAL : UNWIND_NONE;
		out->why = WHY_GONE;
		return;
	}
	if (in->slice_len && unwind_dwarf(u, p, out)) {
		out->done = out->n > 1 ? UNWIND_FULL : UNWIND_NONE;
		if (out->n <= 1)
			out->why = WHY_NO_CFI;
		return;
	}
	if (!in->slice_len)
		out->why = WHY_NO_SLICE;
	mapped = fp_mapped(p, in);
	if (out->n > 1 && u->short_slice)
		splice_fp(in, mapped, out);
	if (out->done == UNWIND_FULL)
		return;
	/* the kernel's walk, when its frames all lie in mapped files and outnumber ours */
	if (mapped == in->n_fp && mapped > 1 && mapped > out->n && mapped < STACK_FP_DEPTH) {
		out->how = UNWIND_FP;
		out->n = 0;
		for (int i = 0; i < mapped; i++)
			out->ips[out->n++] = in->fp_ips[i];
		out->done = UNWIND_FULL;
		out->why = NULL;
		return;
	}
	if (out->n == 0 && in->n_fp > 0) {
		out->how = UNWIND_FP;
		out->ips[out->n++] = in->fp_ips[0];
	}
	if (out->n == 0 && in->regs[STACK_REG_IP])
		out->ips[out->n++] = in->regs[STACK_REG_IP];
	out->done = out->n > 1 ? UNWIND_PARTIAL : UNWIND_NONE;
	if (!out->why)
		out->why = mapped < in->n_fp ? WHY_FP_BROKEN : WHY_UNWIND_ERROR;
}
