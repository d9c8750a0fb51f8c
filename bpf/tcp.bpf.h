/* SPDX-License-Identifier: MIT */
/*
 * TCP connections of traced processes, aggregated in the kernel: handshake
 * times of active opens, connections established, how they ended, and
 * retransmits, per (process, peer port, family, direction). nothing here runs
 * per syscall of the machine: sock:inet_sock_set_state fires on state
 * changes, tcp:tcp_retransmit_skb on retransmits, and sys_exit calls
 * tcp_accepted only for a traced process's successful accept.
 *
 * socks are keyed by pointer in tcp_flight (LRU): the state changes after the
 * first one run in softirq context, in no traced task. a sock enters it
 *   - connect: CLOSE -> SYN_SENT, which runs in the connecting task;
 *   - accept: when a traced process's accept() returns it. the passive
 *     handshake (SYN_RECV -> ESTABLISHED) runs in softirq on a child sock
 *     that no task owns yet, and a listener's owner is not the worker that
 *     accepts (nginx's workers share one): the accepting process is the owner.
 *     passive handshakes are counted, not timed; retransmits before the
 *     accept are not seen.
 */
#ifndef TCP_BPF_H
#define TCP_BPF_H

#include "histogram.h"
#include "maps.bpf.h"
#include "times.bpf.h"

/* include/net/tcp_states.h */
#define SP_TCP_ESTABLISHED 1
#define SP_TCP_SYN_SENT 2
#define SP_TCP_CLOSE 7
#define SP_TCP_CLOSE_WAIT 8
#define SP_IPPROTO_TCP 6
#define SP_AF_INET 2
#define SP_AF_INET6 10

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u64);
	__type(value, struct sp_tcp_flight);
	__uint(max_entries, TCP_FLIGHT_ENTRIES);
} tcp_flight SEC(".maps");

/* sized like comms by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	/* memory on use: most runs see few of these (a few MiB preallocated otherwise) */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sp_tcp_key);
	__type(value, struct sp_tcp_stats);
	__uint(max_entries, DEFAULT_TCP_ENTRIES);
} tcp_stats SEC(".maps");

/* a scratch zero value: struct sp_tcp_stats is too big for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct sp_tcp_stats);
	__uint(max_entries, 1);
} tcp_zero SEC(".maps");

static __always_inline struct sp_tcp_stats *tcp_stats_of(const struct sp_tcp_key *key)
{
	struct sp_tcp_stats *st = bpf_map_lookup_elem(&tcp_stats, key), *zero;
	__u32 z = 0;

	if (st)
		return st;
	zero = bpf_map_lookup_elem(&tcp_zero, &z);
	if (!zero)
		return NULL;
	bpf_map_update_elem(&tcp_stats, key, zero, BPF_NOEXIST);
	st = bpf_map_lookup_elem(&tcp_stats, key);
	if (!st)
		count_event(CNT_TCP_DROPS);
	return st;
}

static __always_inline bool tcp_sock_of_interest(const struct sock *sk, __u16 *family)
{
	*family = sk->__sk_common.skc_family;
	return sk->sk_protocol == SP_IPPROTO_TCP &&
	       (*family == SP_AF_INET || *family == SP_AF_INET6);
}

/* a connection leaves its phase: its counts go to its (process, peer) */
static __always_inline void tcp_end(__u64 skp, struct sp_tcp_flight *f, int oldstate, __u64 now)
{
	struct sp_tcp_stats *st = tcp_stats_of(&f->key);

	if (st) {
		if (!f->established)
			__sync_fetch_and_add(&st->failed, 1);
		else if (oldstate == SP_TCP_ESTABLISHED || oldstate == SP_TCP_CLOSE_WAIT)
			__sync_fetch_and_add(&st->resets, 1);
		else
			__sync_fetch_and_add(&st->closed, 1);
		if (f->established)
			__sync_fetch_and_add(&st->life_ns, now - f->start_ns);
	}
	bpf_map_delete_elem(&tcp_flight, &skp);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(sp_tcp_state, const struct sock *sk, int oldstate, int newstate)
{
	__u64 skp = (__u64)sk, now, delta;
	struct sp_tcp_flight *f, nf = {};
	struct sp_tcp_stats *st;
	__u16 family;
	__u32 p, ci;

	if (!tcp_sock_of_interest(sk, &family))
		return 0;
	if (newstate == SP_TCP_SYN_SENT) {
		/* connect(): in the connecting task */
		struct task_struct *task = bpf_get_current_task_btf();

		if (!task_traced(task))
			return 0;
		nf.start_ns = bpf_ktime_get_ns();
		nf.key.tgid = task->tgid;
		nf.key.port = bpf_ntohs(sk->__sk_common.skc_dport);
		nf.key.family = family;
		nf.key.dir = TCP_DIR_CONNECT;
		bpf_map_update_elem(&tcp_flight, &skp, &nf, BPF_ANY);
		return 0;
	}
	if (newstate != SP_TCP_ESTABLISHED && newstate != SP_TCP_CLOSE)
		return 0;
	f = bpf_map_lookup_elem(&tcp_flight, &skp);
	if (!f)
		return 0;
	now = bpf_ktime_get_ns();
	if (newstate == SP_TCP_CLOSE) {
		tcp_end(skp, f, oldstate, now);
		return 0;
	}
	if (oldstate != SP_TCP_SYN_SENT || f->established)
		return 0;
	/* the handshake of an active open completes (in softirq) */
	delta = now - f->start_ns;
	f->start_ns = now;
	f->established = 1;
	st = tcp_stats_of(&f->key);
	if (!st)
		return 0;
	__sync_fetch_and_add(&st->handshakes, 1);
	__sync_fetch_and_add(&st->established, 1);
	__sync_fetch_and_add(&st->handshake_ns, delta);
	/* a racing larger maximum is lost only if two finish at once: rare, and it is a max */
	if (delta > st->handshake_max_ns)
		st->handshake_max_ns = delta;
	p = delta ? log2_u64(delta) : 0;
	ci = bucket_of(delta, p, COARSE_SUB_BITS, COARSE_BUCKETS);
	/* keep the bound check: the clamp in bucket_of is not enough for the verifier */
	barrier_var(ci);
	if (ci < COARSE_BUCKETS)
		__sync_fetch_and_add(&st->buckets[ci], 1);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(sp_tcp_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	__u64 skp = (__u64)sk;
	struct sp_tcp_flight *f = bpf_map_lookup_elem(&tcp_flight, &skp);
	struct sp_tcp_stats *st;

	if (!f)
		return 0;
	st = tcp_stats_of(&f->key);
	if (st)
		__sync_fetch_and_add(&st->retransmits, 1);
	return 0;
}

/*
 * a traced process's accept() returned fd: its sock joins tcp_flight as an
 * established passive open. called from sys_exit; the fd was installed by
 * this very call (another thread replacing it at once would only mislead the
 * protocol checks, which are reads that cannot fault).
 */
static __always_inline void tcp_accepted(struct task_struct *task, __u32 tgid, long fd)
{
	struct sp_tcp_flight nf = {};
	struct file **fds, *file;
	struct socket *sock;
	struct sock *sk;
	struct sp_tcp_stats *st;
	__u16 family;
	__u64 skp;

	if (fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return;
	fds = BPF_CORE_READ(task, files, fdt, fd);
	if (!fds || bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return;
	sock = BPF_CORE_READ(file, private_data);
	if (!sock)
		return;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (BPF_CORE_READ(sk, sk_protocol) != SP_IPPROTO_TCP ||
	    (family != SP_AF_INET && family != SP_AF_INET6))
		return;
	skp = (__u64)sk;
	nf.start_ns = bpf_ktime_get_ns();
	nf.key.tgid = tgid;
	nf.key.port = BPF_CORE_READ(sk, __sk_common.skc_num);
	nf.key.family = family;
	nf.key.dir = TCP_DIR_ACCEPT;
	nf.established = 1;
	bpf_map_update_elem(&tcp_flight, &skp, &nf, BPF_ANY);
	st = tcp_stats_of(&nf.key);
	if (st)
		__sync_fetch_and_add(&st->established, 1);
}

#endif /* TCP_BPF_H */
