// SPDX-License-Identifier: MIT
/* widening the kernel's 32-bit bucket counters to 64 bits */
#include <stdint.h>
#include <stdlib.h>
#include "loader.h"

int widen_init(struct widen *w, long max_entries)
{
	/* at most half full: probes stay short */
	for (w->coarse_cap = 1; w->coarse_cap < (size_t)max_entries * 2; w->coarse_cap <<= 1)
		;
	w->fine = calloc(1, sizeof(*w->fine));
	w->coarse = calloc(w->coarse_cap, sizeof(*w->coarse));
	return w->fine && w->coarse ? 0 : -1;
}

void widen_free(struct widen *w)
{
	free(w->coarse);
	free(w->fine);
}

/* counters wrap at 2^32; deltas between reads are far smaller than that */
void widen(const uint32_t *now, uint32_t *prev, uint64_t *cum, int n)
{
	for (int i = 0; i < n; i++) {
		cum[i] += (uint32_t)(now[i] - prev[i]);
		prev[i] = now[i];
	}
}

static size_t coarse_home(uint32_t tgid, uint32_t nr)
{
	return ((uint64_t)tgid * 0x9E3779B97F4A7C15ULL ^ nr * 0xC2B2AE3D27D4EB4FULL) >> 17;
}

/* forget an evicted process's entry: backward-shift deletion (linear probing) */
void coarse_forget(struct widen *w, uint32_t tgid, uint32_t nr)
{
	size_t mask = w->coarse_cap - 1, h = coarse_home(tgid, nr), i = SIZE_MAX, j, k;
	struct wide_entry *tab = w->coarse;

	for (size_t n = 0; n < w->coarse_cap; n++) {
		struct wide_entry *e = &tab[(h + n) & mask];

		if (!e->used)
			return;
		if (e->tgid == tgid && e->nr == nr) {
			i = (h + n) & mask;
			break;
		}
	}
	if (i == SIZE_MAX)
		return;
	tab[i].used = false;
	for (j = (i + 1) & mask; tab[j].used; j = (j + 1) & mask) {
		k = coarse_home(tab[j].tgid, tab[j].nr) & mask;
		/* an entry whose home lies cyclically in (i, j] stays where it is */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		tab[i] = tab[j];
		tab[j].used = false;
		i = j;
	}
}

/* the entry of (tgid, nr), made on first sight; NULL when the table is full */
struct wide_entry *coarse_entry(struct widen *w, uint32_t tgid, uint32_t nr)
{
	size_t h = coarse_home(tgid, nr), mask = w->coarse_cap - 1;

	for (size_t i = 0; i < w->coarse_cap; i++) {
		struct wide_entry *e = &w->coarse[(h + i) & mask];

		if (!e->used) {
			/* a freed slot still holds what was forgotten there */
			*e = (struct wide_entry){ .tgid = tgid, .nr = nr, .used = true };
			return e;
		}
		if (e->tgid == tgid && e->nr == nr)
			return e;
	}
	return NULL;
}
