# syscall-prof build. Every output goes under .output/ (ignored by git).
# make V=1 shows the full commands.
.DELETE_ON_ERROR:
.DEFAULT_GOAL := build

OUT      := .output
CLANG    ?= clang
CC       ?= cc
BPFTOOL  ?= bpftool
PROTOC_C ?= protoc-c
ARCH     := x86

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CFLAGS    ?= -O2 -g
WARN      := -Wall -Wextra -Werror
INCLUDES  := -I$(OUT) -I$(OUT)/proto -Ibpf
BPF_OBJ   := $(OUT)/syscall_prof.bpf.o
SKEL      := $(OUT)/syscall_prof.skel.h
PB_C      := $(OUT)/proto/syscall_prof.pb-c.c
PB_H      := $(OUT)/proto/syscall_prof.pb-c.h
LOADER    := $(OUT)/loader/syscall-prof-loader
WORKLOADS := $(patsubst test/workloads/%.c,$(OUT)/workloads/%,$(wildcard test/workloads/*.c))
TS_SRC    := $(shell find src -name '*.ts' -o -name '*.tsx' 2>/dev/null)
TS_STAMP  := $(OUT)/dist/.stamp

DEB_PACKAGES := clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libprotobuf-c-dev \
	protobuf-c-compiler pkg-config make gcc strace linux-perf bpftrace libbpf-tools tmux mawk bc time prometheus

.PHONY: build deps deps-apt deps-npm test test-unit lint-deps demo bench bench-soak clean loader workloads ts

build: deps $(LOADER) $(WORKLOADS) $(TS_STAMP)

loader: $(LOADER)
workloads: $(WORKLOADS)
ts: $(TS_STAMP)

# --- dependencies (idempotent, quiet when all is present) ---
deps: deps-apt deps-npm

deps-apt:
	$(Q)missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  APT      $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: installing Debian packages needs root: sudo make deps" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps-npm: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	$(call msg,NPM,ci)
	$(Q)npm ci --no-audit --no-fund --loglevel=error
	$(Q)touch $@

# --- BPF object, skeleton, protobuf C code, loader ---
$(OUT)/vmlinux.h: scripts/gen-vmlinux.sh | $(OUT)
	$(call msg,GEN,$@)
	$(Q)scripts/gen-vmlinux.sh $@

$(BPF_OBJ): bpf/syscall_prof.bpf.c bpf/syscall_prof.h $(OUT)/vmlinux.h | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -Wno-unused-parameter \
		$(INCLUDES) -c $< -o $@

$(SKEL): $(BPF_OBJ)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name syscall_prof_bpf > $@

$(PB_C) $(PB_H) &: proto/syscall_prof.proto | $(OUT)
	$(call msg,PROTOC,$@)
	$(Q)mkdir -p $(OUT)/proto
	$(Q)$(PROTOC_C) --proto_path=proto --c_out=$(OUT)/proto proto/syscall_prof.proto

$(OUT)/proto/syscall_prof.pb-c.o: $(PB_C) $(PB_H)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Wall -Werror -I$(OUT)/proto -c $< -o $@

$(OUT)/loader/syscall_prof.o: loader/syscall_prof.c bpf/syscall_prof.h $(SKEL) $(PB_H)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) $(INCLUDES) -c $< -o $@

$(LOADER): $(OUT)/loader/syscall_prof.o $(OUT)/proto/syscall_prof.pb-c.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lbpf -lelf -lz -lprotobuf-c -o $@

# --- test workloads (small C programs) ---
$(OUT)/workloads/%: test/workloads/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 $(WARN) $< -o $@ -lpthread

# --- TypeScript ---
$(TS_STAMP): $(TS_SRC) tsconfig.json node_modules/.package-lock.json
	$(call msg,TSC,$(OUT)/dist)
	$(Q)npx tsc -p tsconfig.json
	$(Q)touch $@

$(OUT):
	$(Q)mkdir -p $@

# --- the README's two commands ---
# every test: the import direction, type check, unit tests, integration tests on the real kernel (root)
test: build lint-deps
	$(call msg,TSC,--noEmit)
	$(Q)npx tsc -p tsconfig.json --noEmit
	$(Q)npx vitest run

# the one-way flow of src/ (rules in .dependency-cruiser.cjs); fails on any upward import or cycle
lint-deps: deps-npm
	$(call msg,DEPCRUISE,src)
	$(Q)npx depcruise src --config .dependency-cruiser.cjs --output-type err

test-unit: build
	$(Q)npx vitest run --project unit

# the main job on the built-in demo workload
demo: build
	$(Q)if [ "$$(id -u)" != 0 ]; then echo "make demo: eBPF tracing needs root: sudo make demo" >&2; exit 1; fi
	$(Q)mkdir -p $(OUT)/demo
	node bin/syscall-prof.js trace -- $(OUT)/workloads/demo 3000 $(OUT)/demo/demo.log

bench: build
	$(Q)bench/run.sh
	$(Q)bench/capture.sh
	$(Q)bench/analyze.sh
	$(Q)bench/backends.sh
	$(Q)bench/live.sh

# the agent under process churn for 10 minutes (SOAK_SECONDS=120 for a short run); not part of bench
bench-soak: build
	$(Q)bench/soak.sh

clean:
	rm -rf $(OUT)
