/* SPDX-License-Identifier: MIT */
/* what differs between architectures, for the BPF program: argument registers */
#ifndef ARCH_BPF_H
#define ARCH_BPF_H

#ifdef SP_ARM64_COMPILE_CHECK
/*
 * compile check only (make bpf-arm64-check): there is no arm64 vmlinux.h on an
 * x86 build machine, and the x86 one lacks arm64's struct user_pt_regs, which
 * bpf_tracing.h reads arm64 syscall arguments through. CO-RE relocates field
 * offsets by name against the running kernel's BTF at load time, so the shim
 * only has to name the fields. running on arm64 needs an arm64 machine, whose
 * own vmlinux.h has the real struct.
 */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
} __attribute__((preserve_access_index));
#endif

/*
 * libbpf before 1.2 (Debian 12 has 1.1) reads syscall arguments 1 to 5 only:
 * the sixth, in the register the architecture's syscall ABI puts it in.
 */
#ifndef PT_REGS_PARM6_CORE_SYSCALL
#if defined(bpf_target_x86)
#define PT_REGS_PARM6_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), r9)
#elif defined(bpf_target_arm64)
#define PT_REGS_PARM6_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), regs[5])
#else
#error "no sixth syscall argument for this architecture"
#endif
#endif

/*
 * the number of the syscall a task is in, from its registers: a direct load
 * (tp_btf's regs are a trusted pointer), the field's offset relocated by CO-RE.
 * -1 outside a syscall (an interrupt or fault's frame). the ___sp flavours name
 * the one field, so the arm64 build compiles against the x86 vmlinux.h too.
 */
struct pt_regs___sp_x86 {
	unsigned long orig_ax;
} __attribute__((preserve_access_index));
struct pt_regs___sp_arm64 {
	int syscallno;
} __attribute__((preserve_access_index));

#if defined(bpf_target_x86)
#define SYSCALL_NR_OF(regs) ((long)((struct pt_regs___sp_x86 *)(regs))->orig_ax)
#elif defined(bpf_target_arm64)
#define SYSCALL_NR_OF(regs) ((long)((struct pt_regs___sp_arm64 *)(regs))->syscallno)
#else
#error "no syscall number register for this architecture"
#endif

/* the six arguments of the syscall a task is in (CO-RE reads, any architecture) */
static __always_inline void read_syscall_args(__u64 args[6], struct pt_regs *regs)
{
	args[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	args[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	args[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	args[3] = PT_REGS_PARM4_CORE_SYSCALL(regs);
	args[4] = PT_REGS_PARM5_CORE_SYSCALL(regs);
	args[5] = PT_REGS_PARM6_CORE_SYSCALL(regs);
}

#endif /* ARCH_BPF_H */
