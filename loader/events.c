// SPDX-License-Identifier: MIT
/* event mode: ring buffer records to EventBatch frames */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "loader.h"

/* the comm slot of a pid (open addressing); forgets all names when 3/4 full */
static struct comm_entry *comm_slot(struct batch *b, uint32_t pid)
{
	size_t h = (pid * 2654435761u) & (COMM_SLOTS - 1);

	if (b->comm_used > COMM_SLOTS / 4 * 3) {
		/* names are simply sent again */
		memset(b->comm_tab, 0, sizeof(*b->comm_tab) * COMM_SLOTS);
		b->comm_used = 0;
	}
	for (;; h = (h + 1) & (COMM_SLOTS - 1)) {
		if (b->comm_tab[h].pid == pid)
			return &b->comm_tab[h];
		if (!b->comm_tab[h].pid) {
			b->comm_tab[h].pid = pid;
			b->comm_tab[h].comm[0] = 0;
			b->comm_used++;
			return &b->comm_tab[h];
		}
	}
}

/* send what the batch holds; false once frames can no longer go out */
static bool flush_batch(struct batch *b)
{
	Syscallprof__Frame frame = SYSCALLPROF__FRAME__INIT;
	Syscallprof__EventBatch eb = SYSCALLPROF__EVENT_BATCH__INIT;

	size_t ndefs;

	stacks_unsent(b->stk, &ndefs);
	if ((!b->n && !b->nproc && !ndefs) || b->failed)
		return !b->failed;
	eb.n_start_ns = eb.n_duration_ns = eb.n_pid = eb.n_tid = eb.n_nr = eb.n_ret = b->n;
	eb.n_arg0 = eb.n_arg1 = eb.n_arg2 = eb.n_arg3 = eb.n_arg4 = eb.n_arg5 = eb.n_pos = b->n;
	eb.start_ns = b->start;
	eb.duration_ns = b->dur;
	eb.pid = b->pid;
	eb.tid = b->tid;
	eb.nr = b->nr;
	eb.ret = b->ret;
	eb.pos = b->pos;
	if (b->offcpu) {
		eb.n_off_cpu_ns = eb.n_runq_ns = b->n;
		eb.off_cpu_ns = b->off;
		eb.runq_ns = b->runq;
	}
	eb.arg0 = b->args[0];
	eb.arg1 = b->args[1];
	eb.arg2 = b->args[2];
	eb.arg3 = b->args[3];
	eb.arg4 = b->args[4];
	eb.arg5 = b->args[5];
	eb.n_data = b->ndata;
	eb.data = b->data_ptrs;
	eb.n_process_events = b->nproc;
	eb.process_events = b->proc_ptrs;
	if (b->any_stack) {
		eb.n_stack_id = b->n;
		eb.stack_id = b->stack_id;
	}
	eb.stack_defs = stacks_unsent(b->stk, &eb.n_stack_defs);
	frame.body_case = SYSCALLPROF__FRAME__BODY_EVENTS;
	frame.events = &eb;
	b->failed = write_frame(&frame);
	if (!b->failed)
		stacks_sent(b->stk);
	b->n = b->ndata = b->nproc = 0;
	b->any_stack = false;
	return !b->failed;
}

static void add_proc(struct batch *b, uint32_t kind, uint32_t pid, uint32_t child, uint64_t t,
		     const char *comm)
{
	Syscallprof__ProcessEvent *p;

	if (b->nproc == PROC_MAX)
		flush_batch(b);
	p = &b->procs[b->nproc];
	syscallprof__process_event__init(p);
	p->kind = kind;
	p->time_ns = t;
	p->pid = pid;
	p->child = child;
	memcpy(b->proc_comm[b->nproc], comm, 16);
	b->proc_comm[b->nproc][16] = 0;
	p->comm = b->proc_comm[b->nproc];
	b->proc_ptrs[b->nproc++] = p;
}

static int on_proc(struct batch *b, const struct ev_proc *p)
{
	/* rows before an exec or exit go out under the old name and fds */
	if (p->kind != PROC_FORK && b->n)
		flush_batch(b);
	add_proc(b, p->kind, p->pid, p->child, p->time_ns, p->comm);
	if (p->kind == PROC_EXEC)
		memcpy(comm_slot(b, p->pid)->comm, p->comm, 16);
	return b->failed ? -1 : 0;
}

/* the path, address or fds a call carries, if any, tied to its row */
static void add_data(struct batch *b, size_t row, const struct ev_call *e, size_t size)
{
	static const int wire_kind[] = {
		[DATA_PATH] = SYSCALLPROF__EVENT_DATA__KIND__PATH,
		[DATA_SOCKADDR] = SYSCALLPROF__EVENT_DATA__KIND__SOCKADDR,
		[DATA_SOCKADDR_PTRLEN] = SYSCALLPROF__EVENT_DATA__KIND__SOCKADDR,
		[DATA_PIPE_FDS] = SYSCALLPROF__EVENT_DATA__KIND__PIPE_FDS,
	};
	Syscallprof__EventData *d = &b->data[b->ndata];

	if (!e->data_len || e->data_kind == 0 || e->data_kind > DATA_PIPE_FDS ||
	    e->data_len > EV_DATA_MAX || size < sizeof(*e) + e->data_len)
		return;
	syscallprof__event_data__init(d);
	d->row = row;
	d->kind = wire_kind[e->data_kind];
	memcpy(b->data_bytes[b->ndata], e->data, e->data_len);
	d->value.len = e->data_len;
	d->value.data = b->data_bytes[b->ndata];
	b->data_ptrs[b->ndata++] = d;
}

static int on_call(struct batch *b, const struct ev_call *e, size_t size)
{
	struct comm_entry *c;
	size_t i;

	/* a pid's name goes out before its first row, and again if it changes */
	c = comm_slot(b, e->pid);
	if (strncmp(c->comm, e->comm, 16)) {
		if (c->comm[0] && b->n)
			flush_batch(b);
		add_proc(b, SYSCALLPROF__PROCESS_EVENT__KIND__NAME, e->pid, 0, e->start_ns,
			 e->comm);
		memcpy(c->comm, e->comm, 16);
	}
	if (b->n == BATCH_MAX)
		flush_batch(b);
	i = b->n++;
	b->start[i] = e->start_ns;
	b->dur[i] = e->duration_ns;
	b->pid[i] = e->pid;
	b->tid[i] = e->tid;
	b->nr[i] = e->nr;
	b->ret[i] = e->ret;
	b->pos[i] = e->pos;
	b->off[i] = e->off_cpu_ns;
	b->runq[i] = e->runq_ns;
	for (int k = 0; k < 6; k++)
		b->args[k][i] = e->args[k];
	add_data(b, i, e, size);
	b->stack_id[i] = e->stack && b->stk ? stacks_row_id(b->stk, e->tid, e->start_ns) : 0;
	b->any_stack |= b->stack_id[i] != 0;
	return b->failed ? -1 : 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	const struct ev_call *e = data;

	if (size < sizeof(uint32_t))
		return 0;
	if (e->type == EV_PROC && size >= sizeof(struct ev_proc))
		return on_proc(ctx, data);
	if (e->type != EV_CALL || size < sizeof(*e))
		return 0;
	return on_call(ctx, e, size);
}

/* event mode: the batch, the names table, the ring buffer; 0 or -1 with a message */
int events_init(struct run *r)
{
	const struct opts *o = &r->opts;
	int nfd = bpf_map__fd(r->skel->maps.ev_nrs);
	uint8_t one = 1;

	if (!o->events)
		return 0;
	if (specs_load(bpf_map__fd(r->skel->maps.data_spec)))
		return -1;
	for (int i = 0; i < o->n_ev_nrs; i++) {
		if (bpf_map_update_elem(nfd, &o->ev_nrs[i], &one, BPF_ANY)) {
			warnx("--syscalls: cannot add %u to the filter: %s", o->ev_nrs[i],
			      strerror(errno));
			return -1;
		}
	}
	r->batch = calloc(1, sizeof(*r->batch));
	if (r->batch)
		r->batch->comm_tab = calloc(COMM_SLOTS, sizeof(*r->batch->comm_tab));
	if (!r->batch || !r->batch->comm_tab) {
		warnx("out of memory for the event batch");
		return -1;
	}
	r->batch->offcpu = !o->no_offcpu;
	r->rb = ring_buffer__new(bpf_map__fd(r->skel->maps.events), on_record, r->batch, NULL);
	if (!r->rb) {
		warnx("opening the event ring buffer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void events_free(struct run *r)
{
	ring_buffer__free(r->rb);
	if (r->batch)
		free(r->batch->comm_tab);
	free(r->batch);
}

/* hand everything the kernel has queued to stdout: STOP_NONE, or why it cannot go */
enum stop_reason drain_events(struct run *r)
{
	if (!r->rb)
		return STOP_NONE;
	ring_buffer__consume(r->rb);
	flush_batch(r->batch);
	return r->batch->failed;
}
