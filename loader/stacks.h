/* SPDX-License-Identifier: MIT */
/*
 * the user-space half of --stacks without the skeleton, so that the unit
 * tests link it alone: unwind.c turns a stack record (registers, stack slice,
 * the kernel's frame-pointer walk) into addresses, keeping each process's
 * mappings and each binary's unwind tables (elfutils libdwfl); symbolize.c
 * names those addresses; stacks.c (loader.h) aggregates and sends them.
 */
#ifndef LOADER_STACKS_H
#define LOADER_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "syscall_prof.h"

#define UNWIND_MAX_FRAMES 128
#define UNWIND_PROCS 64 /* processes whose mappings are kept (least recently used goes) */

/* the values of the wire's StackUnwind and StackCompleteness */
enum unwind_how { UNWIND_FP = 1, UNWIND_DWARF = 2 };
enum unwind_done { UNWIND_FULL = 1, UNWIND_PARTIAL = 2, UNWIND_NONE = 3 };

/* why a stack is partial or empty, or a frame has no name (StackReason, StackFrame.unresolved) */
#define WHY_SLICE_SHORT "stack slice too short"
#define WHY_NO_SLICE "no stack slice"
#define WHY_NO_CFI "no unwind info"
#define WHY_GONE "process gone before its maps were read"
#define WHY_NOT_MAPPED "address not in a mapped file"
#define WHY_FP_BROKEN "frame-pointer chain left the mapped files"
#define WHY_TOO_DEEP "deeper than the frame limit"
#define WHY_UNWIND_ERROR "unwinder error"
#define WHY_NO_SYMBOLS "no symbols"
#define WHY_ANON "anonymous mapping"

/* one record to unwind */
struct unwind_in {
	uint32_t tgid, tid;
	uint64_t regs[STACK_NREGS];
	const uint8_t *slice; /* the user stack from regs[STACK_REG_SP] up */
	size_t slice_len;
	const __u64 *fp_ips; /* the kernel's frame-pointer walk, innermost first */
	int n_fp;
};

/* its result: return addresses after the first (the syscall site), innermost first */
struct unwind_out {
	uint64_t ips[UNWIND_MAX_FRAMES];
	int n;
	enum unwind_how how;
	enum unwind_done done;
	const char *why; /* partial or none: one of the WHY_ strings */
};

/* one frame, named */
struct sym_frame {
	char *symbol; /* demangled; NULL when unresolved */
	uint64_t symbol_offset;
	char *module; /* the mapped file, or "[anon]" */
	uint64_t module_offset; /* the address in the file's own (ELF) addresses */
	const char *unresolved; /* why symbol is NULL */
};

struct unwinder;

/* unwind.c */
struct unwinder *unwinder_new(void);
void unwinder_free(struct unwinder *u);
/* reads the maps the record needs while its process may still be there (cheap) */
void unwind_prepare(struct unwinder *u, const struct unwind_in *in);
void unwind_stack(struct unwinder *u, const struct unwind_in *in, struct unwind_out *out);
/* the process's libdwfl session (NULL: its maps could not be read), for the symbolizer */
struct Dwfl *unwinder_dwfl(struct unwinder *u, uint32_t tgid);

/* symbolize.c: names ip of tgid (a return address unless innermost); 0 or -ENOMEM */
int symbolize(struct unwinder *u, uint32_t tgid, uint64_t ip, bool innermost,
	      struct sym_frame *out);
void sym_frame_free(struct sym_frame *f);
char *demangle(const char *name);

#endif /* LOADER_STACKS_H */
