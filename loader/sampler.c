// SPDX-License-Identifier: MIT
/*
 * the sample period in force: --sample N fixes it; --max-overhead PCT moves it
 * at run time (a global of the BPF program, .bss, mapped: no reload) so that
 * our programs' run time stays under PCT% of one CPU, from the run-time
 * statistics each snapshot reads (cost.c). each step doubles or halves the
 * period (from --sample's: with a power of two the kernel's threshold is exact).
 */
#include <stdint.h>
#include "loader.h"

/* below this share of the budget for SAMPLER_CALM snapshots in a row: time more calls */
#define SAMPLER_LOW_PCT 40
#define SAMPLER_CALM 3

/* a random u32 below this 1 time in period (0: every call) */
static uint32_t threshold_of(uint32_t period)
{
	return period > 1 ? (uint32_t)((1ULL << 32) / period) : 0;
}

void sampler_set(struct run *r, uint32_t period)
{
	r->sampler.period = period;
	r->skel->bss->sample_threshold = threshold_of(period);
}

/*
 * one snapshot's measurement: run_ns of our programs (all of them, cumulative)
 * over window_ns of statistics (cumulative). over budget: double the period at
 * once; far under it for a few snapshots: halve it (hysteresis, so a load at
 * the budget does not flip it every interval). no new window: no change.
 */
void sampler_adjust(struct run *r, uint64_t run_ns, uint64_t window_ns)
{
	struct sampler *s = &r->sampler;
	uint64_t dr = run_ns - s->run_ns, dw = window_ns - s->window_ns;
	/* share of one CPU, in millionths: run time per wall time */
	uint64_t ppm, budget = s->max_ppm;

	if (!budget || run_ns < s->run_ns || window_ns <= s->window_ns)
		goto out;
	ppm = dr * 1000000 / dw;
	if (ppm > budget) {
		s->calm = 0;
		if (s->period < MAX_SAMPLE_PERIOD)
			sampler_set(r, s->period * 2);
	} else if (ppm * 100 < budget * SAMPLER_LOW_PCT && s->period > 1) {
		if (++s->calm >= SAMPLER_CALM) {
			s->calm = 0;
			sampler_set(r, s->period / 2);
		}
	} else {
		s->calm = 0;
	}
out:
	s->run_ns = run_ns;
	s->window_ns = window_ns;
}
