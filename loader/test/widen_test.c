// SPDX-License-Identifier: MIT
/*
 * widen.c on its own: 32-bit wrap-around, the per-process table filling up,
 * forgetting entries and reusing their slots. run by test/integration/loader.test.ts;
 * prints one line per check and exits 1 if any failed.
 */
#include <stdio.h>
#include <string.h>
#include "loader.h"

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

/* a prior (before wrap) and a later reading: the cumulative count keeps growing */
static void test_wrap(void)
{
	uint32_t prev[2] = {}, now[2] = { 0xfffffff0u, 5 };
	uint64_t cum[2] = {};

	widen(now, prev, cum, 2);
	now[0] = 0x10; /* wrapped: 0x20 more calls */
	now[1] = 7;
	widen(now, prev, cum, 2);
	check(cum[0] == 0x100000010ULL && cum[1] == 7, "widen counts across a 32-bit wrap");
}

/* fill the table, see it refuse, forget one entry, reuse its slot from zero */
static void test_table(void)
{
	struct widen w = {};
	struct wide_entry *e;
	size_t n = 0;
	bool all_found = true;

	if (widen_init(&w, 64)) {
		check(false, "widen_init");
		return;
	}
	for (uint32_t tgid = 1; coarse_entry(&w, tgid, 0); tgid++)
		n++;
	check(n == w.coarse_cap, "the table takes exactly its capacity, then refuses");
	for (uint32_t tgid = 1; tgid <= n; tgid++) {
		e = coarse_entry(&w, tgid, 0);
		all_found &= e && e->tgid == tgid;
		if (e)
			e->cum[3] = e->prev[3] = tgid; /* history a reused slot must not keep */
	}
	check(all_found, "every entry is found again when full");
	coarse_forget(&w, 7, 0);
	all_found = true;
	for (uint32_t tgid = 1; tgid <= n; tgid++)
		if (tgid != 7)
			all_found &= coarse_entry(&w, tgid, 0) != NULL;
	check(all_found, "the others are still found after a forget");
	e = coarse_entry(&w, 100000, 1);
	check(e && e->tgid == 100000 && e->nr == 1, "a forgotten slot takes a new entry");
	check(e && e->cum[3] == 0 && e->prev[3] == 0, "a reused slot starts from zero");
	check(!coarse_entry(&w, 100001, 1), "full again");
	widen_free(&w);
}

int main(void)
{
	test_wrap();
	test_table();
	return failures ? 1 : 0;
}
