// SPDX-License-Identifier: MIT
/*
 * unwind.c and symbolize.c on their own, on this program's real stack and
 * ELF files: it is built with -O2 -fomit-frame-pointer, so only .eh_frame
 * unwinds it. a noinline chain records its registers and a slice of its
 * stack (as the BPF program does at sys_exit), which is unwound and named;
 * then the slice cut short, a gone process, names in libc and demangling,
 * and random registers and stack bytes that must never crash (for
 * FUZZ_SECONDS). run by test/integration/stacks-loader.test.ts; prints one
 * line per check and exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "stacks.h"

#define FUZZ_SECONDS 2

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

/* a recorded stack: registers and a slice from sp up, like a stack_rec */
static struct {
	uint64_t regs[STACK_NREGS];
	uint8_t slice[STACK_SLICE_DEFAULT];
	size_t len;
} rec;

/* bytes from sp to the end of the mapping that holds it */
static size_t stack_room(uint64_t sp)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	char line[512];
	size_t room = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && sp >= lo && sp < hi)
			room = hi - sp;
	if (f)
		fclose(f);
	return room;
}

#define CHAIN __attribute__((noinline, noipa))

#if defined(__x86_64__)
CHAIN void record_here(void)
{
	uint64_t ip, sp, fp;

	__asm__ volatile("lea 0(%%rip), %0\n\tmov %%rsp, %1\n\tmov %%rbp, %2"
			 : "=r"(ip), "=r"(sp), "=r"(fp));
	rec.regs[STACK_REG_IP] = ip;
	rec.regs[STACK_REG_SP] = sp;
	rec.regs[STACK_REG_FP] = fp;
	rec.len = stack_room(sp);
	if (rec.len > sizeof(rec.slice))
		rec.len = sizeof(rec.slice);
	memcpy(rec.slice, (void *)sp, rec.len);
}
#elif defined(__aarch64__)
CHAIN void record_here(void)
{
	uint64_t ip, sp, fp, lr;

	__asm__ volatile("adr %0, .\n\tmov %1, sp\n\tmov %2, x29\n\tmov %3, x30"
			 : "=r"(ip), "=r"(sp), "=r"(fp), "=r"(lr));
	rec.regs[STACK_REG_IP] = ip;
	rec.regs[STACK_REG_SP] = sp;
	rec.regs[STACK_REG_FP] = fp;
	rec.regs[STACK_REG_LR] = lr;
	rec.len = stack_room(sp);
	if (rec.len > sizeof(rec.slice))
		rec.len = sizeof(rec.slice);
	memcpy(rec.slice, (void *)sp, rec.len);
}
#endif

CHAIN int chain_c(int x)
{
	record_here();
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

CHAIN int chain_b(int x)
{
	int r = chain_c(x * 3);

	__asm__ volatile("" ::: "memory");
	return r + 2;
}

CHAIN int chain_a(int x)
{
	int r = chain_b(x + 5);

	__asm__ volatile("" ::: "memory");
	return r * 7;
}

static struct unwind_in input(size_t len)
{
	struct unwind_in in = {
		.tgid = getpid(),
		.tid = gettid(),
		.slice = rec.slice,
		.slice_len = len,
	};

	memcpy(in.regs, rec.regs, sizeof(in.regs));
	return in;
}

/* the frame's name, "" when unresolved (freed by the next call) */
static const char *name_of(struct unwinder *u, uint64_t ip, bool innermost)
{
	static struct sym_frame f;

	sym_frame_free(&f);
	if (symbolize(u, getpid(), ip, innermost, &f))
		return "";
	return f.symbol ? f.symbol : "";
}

static int index_of(struct unwinder *u, const struct unwind_out *out, const char *name)
{
	for (int i = 0; i < out->n; i++)
		if (!strcmp(name_of(u, out->ips[i], i == 0), name))
			return i;
	return -1;
}

static void test_recorded(struct unwinder *u)
{
	struct unwind_in in = input(rec.len);
	struct unwind_out out;
	int a, b, c, m;

	unwind_stack(u, &in, &out);
	check(out.how == UNWIND_DWARF && out.done == UNWIND_FULL, "a recorded slice unwinds fully from .eh_frame");
	c = index_of(u, &out, "chain_c");
	b = index_of(u, &out, "chain_b");
	a = index_of(u, &out, "chain_a");
	m = index_of(u, &out, "main");
	check(!strcmp(name_of(u, out.ips[0], true), "record_here"), "the innermost frame is where the registers were taken");
	check(c == 1 && b == 2 && a == 3 && m > a, "callers follow innermost first: chain_c, chain_b, chain_a, main");
	check(!strcmp(name_of(u, out.ips[out.n - 1], false), "_start"), "the outermost frame is _start");

	in = input(64);
	unwind_stack(u, &in, &out);
	check(out.done == UNWIND_PARTIAL && out.why && !strcmp(out.why, WHY_SLICE_SHORT) &&
		      out.n >= 2 && index_of(u, &out, "_start") < 0,
	      "a slice cut short gives a partial stack, saying why");

	in = input(0);
	unwind_stack(u, &in, &out);
	check(out.done == UNWIND_NONE && out.n == 1 && !strcmp(out.why, WHY_NO_SLICE),
	      "no slice and no frame pointers: the syscall site alone");
}

static void test_symbols(struct unwinder *u)
{
	struct sym_frame f;
	char *d;

	check(!symbolize(u, getpid(), (uint64_t)(uintptr_t)chain_b + 3, true, &f) && f.symbol &&
		      !strcmp(f.symbol, "chain_b") && f.symbol_offset == 3 && strstr(f.module, "unwind-test"),
	      ".symtab: a function of this program, its offset and file");
	sym_frame_free(&f);
	check(!symbolize(u, getpid(), (uint64_t)(uintptr_t)fsync + 1, false, &f) && f.symbol &&
		      !strcmp(f.symbol, "fsync") && strstr(f.module, "libc.so"),
	      ".dynsym: fsync in libc, named without its version");
	sym_frame_free(&f);
	check(!symbolize(u, getpid(), 16, true, &f) && !f.symbol && f.unresolved &&
		      !strcmp(f.unresolved, WHY_ANON),
	      "an address outside every file says so");
	sym_frame_free(&f);
	d = demangle("_ZN7storage6Ledger6commitEi");
	check(d && !strcmp(d, "storage::Ledger::commit(int)"), "C++ names are demangled");
	free(d);
	d = demangle("_ZN4core3fmt5write17h0123456789abcdefE");
	check(d && !strncmp(d, "core::fmt::write", 16), "Rust (legacy) names are demangled");
	free(d);
	d = demangle("ledger_append");
	check(d && !strcmp(d, "ledger_append"), "C names are kept");
	free(d);
}

static void test_gone(struct unwinder *u)
{
	struct unwind_in in = input(rec.len);
	struct unwind_out out;
	__u64 fp[2] = { rec.regs[STACK_REG_IP], 0x1234 };
	pid_t child = fork();

	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	in.tgid = child;
	in.tid = child;
	in.fp_ips = fp;
	in.n_fp = 2;
	unwind_stack(u, &in, &out);
	check(out.how == UNWIND_FP && out.why && !strcmp(out.why, WHY_GONE) && out.n == 2,
	      "a process gone before its maps were read keeps the frame-pointer walk, saying why");
}

static uint64_t rnd(void)
{
	return ((uint64_t)random() << 33) ^ ((uint64_t)random() << 11) ^ random();
}

/* random registers and stack bytes, with plausible addresses among them: no crash */
static void test_fuzz(struct unwinder *u)
{
	static uint8_t junk[STACK_SLICE_MAX];
	uint64_t plausible[] = { rec.regs[STACK_REG_IP], (uint64_t)(uintptr_t)chain_a + 9,
				 (uint64_t)(uintptr_t)fsync + 4, (uint64_t)(uintptr_t)junk, 0,
				 (uint64_t)-1, 1 };
	time_t until = time(NULL) + FUZZ_SECONDS;
	long runs = 0, frames = 0;
	__u64 fp[8];

	srandom(14);
	while (time(NULL) < until) {
		struct unwind_in in = { .tgid = getpid(), .tid = gettid(), .slice = junk };
		struct unwind_out out;
		size_t words = 1 + random() % (sizeof(junk) / 8);

		for (size_t i = 0; i < words; i++) {
			uint64_t v = random() % 3 ? rnd() : plausible[random() % 7];

			memcpy(junk + i * 8, &v, 8);
		}
		for (int r = 0; r < STACK_NREGS; r++)
			in.regs[r] = random() % 2 ? rnd() : plausible[random() % 7];
		if (random() % 2)
			in.regs[STACK_REG_SP] = (uint64_t)(uintptr_t)junk + (random() % 64);
		in.slice_len = random() % 4 ? words * 8 : (size_t)(random() % 17);
		in.n_fp = random() % 9;
		for (int i = 0; i < in.n_fp; i++)
			fp[i] = random() % 2 ? rnd() : plausible[random() % 7];
		in.fp_ips = fp;
		unwind_stack(u, &in, &out);
		for (int i = 0; i < out.n; i++) {
			struct sym_frame f;

			if (!symbolize(u, getpid(), out.ips[i], i == 0, &f))
				sym_frame_free(&f);
		}
		frames += out.n;
		runs++;
		if (out.n < 0 || out.n > UNWIND_MAX_FRAMES)
			break;
	}
	printf("fuzz: %ld records, %ld frames in %d s\n", runs, frames, FUZZ_SECONDS);
	check(runs > 100, "random registers and stack bytes unwind and name without a crash");
}

int main(void)
{
	struct unwinder *u = unwinder_new();

	if (!u) {
		fprintf(stderr, "unwind-test: out of memory\n");
		return 1;
	}
	if (chain_a(1) != 147) /* ((1 + 5) * 3 + 1 + 2) * 7 */
		return 1;
	test_recorded(u);
	test_symbols(u);
	test_gone(u);
	test_fuzz(u);
	unwinder_free(u);
	return failures ? 1 : 0;
}
