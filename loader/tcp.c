// SPDX-License-Identifier: MIT
/*
 * the traced processes' TCP connections (bpf/tcp.bpf.h): each snapshot reads
 * the (process, peer) aggregates into TcpStats messages. the kernel keeps
 * 64-bit counters there (updated on state changes only, not per syscall), so
 * there is nothing to widen.
 */
#define _GNU_SOURCE
#include "loader.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int tcp_init(struct run *r)
{
	struct tcp *t = &r->tcp;

	t->on = !r->opts.empty_mode && !r->opts.no_tcp;
	if (!t->on)
		return 0;
	t->cap = r->opts.max_entries;
	t->keys = calloc(t->cap, sizeof(*t->keys));
	t->vals = calloc(t->cap, sizeof(*t->vals));
	return t->keys && t->vals ? 0 : -1;
}

void tcp_free(struct run *r)
{
	free(r->tcp.vals);
	free(r->tcp.keys);
}

/* the map into keys/vals, in batches until ENOENT (key by key where unsupported); the count */
static uint32_t read_map(struct tcp *t, int fd)
{
	uint32_t total = 0, count;
	struct sp_tcp_key next, cur;
	__u64 out_batch;
	void *in = NULL;
	int err;

	/* the table changes under us: a key added during the read may be missed until the next */
	for (;;) {
		count = t->cap - total;
		if (!count)
			return total;
		err = bpf_map_lookup_batch(fd, in, &out_batch, t->keys + total, t->vals + total,
					   &count, NULL);
		total += count;
		if (err) {
			if (errno == ENOENT)
				return total;
			break;
		}
		in = &out_batch;
	}
	if (errno != EINVAL && errno != EOPNOTSUPP)
		return total;
	total = 0;
	if (bpf_map_get_next_key(fd, NULL, &next))
		return 0;
	do {
		cur = next;
		if (!bpf_map_lookup_elem(fd, &cur, &t->vals[total]))
			t->keys[total++] = cur;
	} while (total < t->cap && !bpf_map_get_next_key(fd, &cur, &next));
	return total;
}

static Syscallprof__TcpStats *make_msg(const struct sp_tcp_key *k, const struct sp_tcp_stats *v)
{
	Syscallprof__TcpStats *m = calloc(1, sizeof(*m));
	int nz = 0;

	if (!m)
		return NULL;
	syscallprof__tcp_stats__init(m);
	m->tgid = k->tgid;
	m->port = k->port;
	m->family = k->family == 10 ? SYSCALLPROF__TCP_FAMILY__TCP_FAMILY_IPV6
				    : SYSCALLPROF__TCP_FAMILY__TCP_FAMILY_IPV4;
	m->direction = k->dir == TCP_DIR_ACCEPT ? SYSCALLPROF__TCP_DIRECTION__TCP_DIRECTION_ACCEPT
						: SYSCALLPROF__TCP_DIRECTION__TCP_DIRECTION_CONNECT;
	m->handshakes = v->handshakes;
	m->established = v->established;
	m->failed = v->failed;
	m->closed = v->closed;
	m->resets = v->resets;
	m->retransmits = v->retransmits;
	m->life_ns = v->life_ns;
	m->handshake_ns = v->handshake_ns;
	m->handshake_max_ns = v->handshake_max_ns;
	for (int i = 0; i < COARSE_BUCKETS; i++)
		nz += v->buckets[i] != 0;
	m->bucket_index = calloc(nz ? nz : 1, sizeof(uint32_t));
	m->bucket_count = calloc(nz ? nz : 1, sizeof(uint64_t));
	if (!m->bucket_index || !m->bucket_count) {
		free(m->bucket_index);
		free(m->bucket_count);
		free(m);
		return NULL;
	}
	for (int i = 0; i < COARSE_BUCKETS; i++) {
		if (!v->buckets[i])
			continue;
		m->bucket_index[m->n_bucket_index++] = i;
		m->bucket_count[m->n_bucket_count++] = v->buckets[i];
	}
	return m;
}

/* the TcpStats messages of this snapshot (none when off) */
enum stop_reason read_tcp(struct run *r, Syscallprof__TcpStats ***out, size_t *nout)
{
	struct tcp *t = &r->tcp;
	Syscallprof__TcpStats **msgs;
	uint32_t n;

	*out = NULL;
	*nout = 0;
	if (!t->on)
		return STOP_NONE;
	n = read_map(t, bpf_map__fd(r->skel->maps.tcp_stats));
	if (!n)
		return STOP_NONE;
	msgs = calloc(n, sizeof(*msgs));
	if (!msgs)
		return STOP_NO_MEMORY;
	for (uint32_t i = 0; i < n; i++) {
		msgs[i] = make_msg(&t->keys[i], &t->vals[i]);
		if (!msgs[i]) {
			free_tcp(msgs, i);
			return STOP_NO_MEMORY;
		}
	}
	*out = msgs;
	*nout = n;
	return STOP_NONE;
}

void free_tcp(Syscallprof__TcpStats **msgs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(msgs[i]->bucket_index);
		free(msgs[i]->bucket_count);
		free(msgs[i]);
	}
	free(msgs);
}
