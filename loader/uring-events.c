// SPDX-License-Identifier: MIT
/* event mode, io_uring: ring buffer records of completed requests into the EventBatch columns */
#include <stdlib.h>
#include <string.h>
#include "loader.h"

/* the columns, when io_uring is traced in event mode; 0 or -1 with a message */
int uring_events_init(struct run *r)
{
	struct uring_batch *u;

	if (!r->uring.on)
		return 0;
	u = calloc(1, sizeof(*u));
	if (!u) {
		warnx("out of memory for the io_uring event columns");
		return -1;
	}
	/* the ids the snapshots' per-ring stats use */
	u->key = r->uring.ring_key;
	r->batch->uring = u;
	return 0;
}

void uring_events_free(struct batch *b)
{
	free(b->uring);
	b->uring = NULL;
}

int uring_on_record(struct batch *b, const void *data, size_t size)
{
	const struct ev_uring *e = data;
	struct uring_batch *u = b->uring;
	size_t i;

	if (!u || size < sizeof(*e))
		return 0;
	batch_name(b, e->pid, e->comm, e->start_ns);
	if (u->n == BATCH_MAX)
		flush_batch(b);
	i = u->n++;
	u->start[i] = e->start_ns;
	u->dur[i] = e->duration_ns;
	u->pid[i] = e->pid;
	u->tid[i] = e->tid;
	u->opcode[i] = e->opcode;
	u->fd[i] = e->fd;
	u->off[i] = e->off;
	u->len[i] = e->len;
	u->res[i] = e->res;
	u->punted[i] = e->punted;
	u->ring[i] = uring_ring_id(u->key, e->ring);
	u->fixed[i] = e->fixed;
	return b->failed ? -1 : 0;
}

/* the requests into eb (their columns stay the batch's until the frame is written); then empty */
void uring_fill_batch(struct batch *b, Syscallprof__EventBatch *eb)
{
	struct uring_batch *u = b->uring;
	Syscallprof__IoUringRequests *m;

	if (!u || !u->n)
		return;
	m = &u->msg;
	syscallprof__io_uring_requests__init(m);
	m->n_start_ns = m->n_duration_ns = m->n_pid = m->n_tid = m->n_opcode = m->n_fd = u->n;
	m->n_offset = m->n_length = m->n_result = m->n_punted = m->n_ring = m->n_fixed_file = u->n;
	m->start_ns = u->start;
	m->duration_ns = u->dur;
	m->pid = u->pid;
	m->tid = u->tid;
	m->opcode = u->opcode;
	m->fd = u->fd;
	m->offset = u->off;
	m->length = u->len;
	m->result = u->res;
	m->punted = u->punted;
	m->ring = u->ring;
	m->fixed_file = u->fixed;
	eb->io_uring = m;
	/* flush_batch writes the frame before the next record lands in the columns */
	u->n = 0;
}
