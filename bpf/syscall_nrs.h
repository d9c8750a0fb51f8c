/* SPDX-License-Identifier: MIT */
/*
 * the syscall table of the architecture being built for: numbers (SP_NR_<name>),
 * SP_ARCH and the event-data specs (SP_DATA_SPECS), generated into .output/gen
 * by scripts/gen-syscalls.mjs from the kernel headers and scripts/syscall-args.txt.
 * included by the BPF program (-target bpf -D__TARGET_ARCH_<arch>) and the loader.
 */
#ifndef SYSCALL_NRS_H
#define SYSCALL_NRS_H

#include "syscall_prof.h"

#if defined(__TARGET_ARCH_x86) || (!defined(__bpf__) && defined(__x86_64__))
#include "syscalls_x86_64.h"
#elif defined(__TARGET_ARCH_arm64) || (!defined(__bpf__) && defined(__aarch64__))
#include "syscalls_arm64.h"
#else
#error "syscall-prof has syscall tables for x86_64 and arm64 only"
#endif

_Static_assert(SP_NR_COUNT <= NR_SLOTS, "NR_SLOTS is too small for this architecture's syscalls");

#endif /* SYSCALL_NRS_H */
