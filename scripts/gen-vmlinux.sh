#!/bin/sh
# Writes vmlinux.h (every kernel type, for CO-RE) from the running kernel's BTF.
# usage: scripts/gen-vmlinux.sh OUTPUT
set -eu
out=${1:?usage: gen-vmlinux.sh OUTPUT}
btf=${VMLINUX_BTF:-/sys/kernel/btf/vmlinux}
if [ ! -r "$btf" ]; then
	echo "gen-vmlinux: $btf is not readable: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF=y is needed)" >&2
	exit 1
fi
bpftool btf dump file "$btf" format c > "$out.tmp"
mv "$out.tmp" "$out"
