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

/* a file seen mapped in some process: a gone process's binaries are found by it */
struct ufile {
	uint64_t key; /* kernel dev_t << 32 ^ inode; 0: free */
	char *path;
};

struct unwinder {
	struct uproc procs[UNWIND_PROCS];
	struct ufile files[UNWIND_FILES]; /* open addressing */
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

static uint64_t maps_hash(struct unwinder *u, uint32_t tgid);

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
	/* libc and ld.so, as mapped here: what most processes map */
	maps_hash(u, getpid());
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
	for (int i = 0; i < UNWIND_FILES; i++)
		free(u->files[i].path);
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

static uint64_t file_key(uint32_t dev, uint64_t ino)
{
	return ((uint64_t)dev << 32 ^ ino) | 1;
}

static struct ufile *file_slot(struct unwinder *u, uint64_t key)
{
	size_t i = (key * 0x9E3779B97F4A7C15ULL) >> 55; /* 512 slots */

	for (size_t n = 0; n < UNWIND_FILES; n++, i = (i + 1) % UNWIND_FILES)
		if (!u->files[i].key || u->files[i].key == key)
			return &u->files[i];
	return NULL;
}

/* a maps line's file, remembered by (device, inode) */
static void file_note(struct unwinder *u, const char *line)
{
	unsigned int major, minor;
	unsigned long ino;
	int path_at = 0;
	struct ufile *f;

	if (sscanf(line, "%*x-%*x %*s %*x %x:%x %lu %n", &major, &minor, &ino, &path_at) < 3 ||
	    !ino || !path_at || line[path_at] != '/')
		return;
	/* the kernel's dev_t: MKDEV(major, minor) */
	f = file_slot(u, file_key(major << 20 | minor, ino));
	if (!f || f->key)
		return;
	f->path = strndup(line + path_at, strcspn(line + path_at, "\n"));
	if (f->path)
		f->key = file_key(major << 20 | minor, ino);
}

/* a hash of the process's maps now (0: they cannot be read); their files noted */
static uint64_t maps_hash(struct unwinder *u, uint32_t tgid)
{
	char path[64], *line = NULL;
	uint64_t h = 1469598103934665603ULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", tgid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ (uint8_t)line[i]) * 1099511628211ULL;
		file_note(u, line);
	}
	free(line);
	fclose(f);
	return h | 1;
}

/*
 * a gone process's binary at the first address, from what the kernel saw
 * mapped there and a file seen mapped before (by this or another process)
 */
static void proc_add_file(struct unwinder *u, struct uproc *p, const struct unwind_in *in)
{
	struct ufile *f = in->ip_ino ? file_slot(u, file_key(in->ip_dev, in->ip_ino)) : NULL;
	uint64_t bias = in->ip_map_start - in->ip_map_pgoff * 4096;
	Dwfl *dwfl;

	if (!f || !f->key)
		return;
	dwfl = p->dwfl ? p->dwfl : dwfl_begin(&u->callbacks);
	if (!dwfl)
		return;
	if (dwfl == p->dwfl)
		dwfl_report_begin_add(dwfl);
	else
		dwfl_report_begin(dwfl);
	/* a shared object's file offsets are its addresses (p_vaddr == p_offset) */
	dwfl_report_elf(dwfl, f->path, f->path, -1, bias, true);
	if (dwfl_report_end(dwfl, NULL, NULL) ||
	    (dwfl != p->dwfl && !dwfl_attach_state(dwfl, NULL, p->tgid, &thread_callbacks, p))) {
		if (dwfl != p->dwfl)
			dwfl_end(dwfl);
		return;
	}
	p->dwfl = dwfl;
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
	h = maps_hash(u, p->tgid);
	if (!h || h == p->maps)
		return;
	p->maps = h;
	proc_read(u, p);
}

void unwind_prepare(struct unwinder *u, const struct unwind_in *in)
{
	struct uproc *p = proc_get(u, in->tgid);

	proc_cover(u, p, in->regs[STACK_REG_IP]);
	if (!p->dwfl || !dwfl_addrmodule(p->dwfl, in->regs[STACK_REG_IP]))
		proc_add_file(u, p, in);
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

/* whether a return address lies in a function that starts a program or a thread */
static bool outermost(struct uproc *p, uint64_t ret)
{
	static const char *const starts[] = { "_start", "__libc_start_main", "__libc_start_call_main",
					      "start_thread", "clone", "clone3", "__clone",
					      "__clone3", "thread_start" };
	Dwfl_Module *m = dwfl_addrmodule(p->dwfl, ret - 1);
	const char *name = m ? dwfl_module_addrname(m, ret - 1) : NULL;

	for (size_t i = 0; name && i < sizeof(starts) / sizeof(starts[0]); i++) {
		size_t n = strlen(starts[i]);

		/* versioned .dynsym names: __libc_start_main@@GLIBC_2.34 */
		if (!strncmp(name, starts[i], n) && (name[n] == 0 || name[n] == '@'))
			return true;
	}
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
static void splice_fp(struct uproc *p, const struct unwind_in *in, int mapped, struct unwind_out *out)
{
	uint64_t last = out->ips[out->n - 1];

	for (int i = 1; i < mapped; i++) {
		if (in->fp_ips[i] != last)
			continue;
		for (int j = i + 1; j < mapped && out->n < UNWIND_MAX_FRAMES; j++)
			out->ips[out->n++] = in->fp_ips[j];
		out->why = mapped < in->n_fp || !outermost(p, out->ips[out->n - 1]) ? WHY_FP_BROKEN : NULL;
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
		splice_fp(p, in, mapped, out);
	if (out->done == UNWIND_FULL)
		return;
	/* the kernel's walk, when its frames all lie in mapped files and outnumber ours */
	if (mapped == in->n_fp && mapped > 1 && mapped > out->n && mapped < STACK_FP_DEPTH) {
		out->how = UNWIND_FP;
		out->n = 0;
		for (int i = 0; i < mapped; i++)
			out->ips[out->n++] = in->fp_ips[i];
		/* a walk of frame pointers cannot tell a chain that ended early from one that ended */
		out->done = outermost(p, out->ips[out->n - 1]) ? UNWIND_FULL : UNWIND_PARTIAL;
		out->why = out->done == UNWIND_FULL ? NULL : WHY_FP_BROKEN;
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
