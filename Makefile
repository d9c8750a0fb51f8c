# syscall-prof build. Every output goes under .output/ (ignored by git).
# make V=1 shows the full commands.
.DELETE_ON_ERROR:
.DEFAULT_GOAL := build

OUT      := .output
CLANG    ?= clang
CC       ?= cc
BPFTOOL  ?= bpftool
PROTOC_C ?= protoc-c

# the BPF target architecture (clang's __TARGET_ARCH_*) and the syscall table of
# this machine; other architectures only get a compile check (bpf-arm64-check)
UNAME_M  := $(shell uname -m)
ARCH_x86_64  := x86
ARCH_aarch64 := arm64
ARCH     := $(ARCH_$(UNAME_M))
ifeq ($(ARCH),)
$(error syscall-prof builds on x86_64 and aarch64, not $(UNAME_M))
endif

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CFLAGS    ?= -O2 -g
WARN      := -Wall -Wextra -Werror
INCLUDES  := -I$(OUT) -I$(OUT)/gen -I$(OUT)/proto -Ibpf
BPF_SRC   := bpf/syscall_prof.bpf.c $(wildcard bpf/*.h)
BPF_OBJ   := $(OUT)/syscall_prof.bpf.o
# syscall tables: C headers for BPF and the loader, one TS module (git-ignored)
GEN_STAMP := $(OUT)/gen/.stamp
GEN_TS    := src/core/model/generated/syscalls.ts
SKEL      := $(OUT)/syscall_prof.skel.h
PB_C      := $(OUT)/proto/syscall_prof.pb-c.c
PB_H      := $(OUT)/proto/syscall_prof.pb-c.h
LOADER    := $(OUT)/loader/syscall-prof-loader
LOADER_SRC := $(wildcard loader/*.c)
LOADER_OBJ := $(patsubst loader/%.c,$(OUT)/loader/%.o,$(LOADER_SRC))
WIDEN_TEST := $(OUT)/loader/widen-test
UNWIND_TEST := $(OUT)/loader/unwind-test
# stack_paths.c is built twice, with and without frame pointers (see below)
WORKLOADS := $(patsubst test/workloads/%.c,$(OUT)/workloads/%,$(filter-out test/workloads/stack_paths.c,$(wildcard test/workloads/*.c))) \
	$(OUT)/workloads/stack_paths_fp $(OUT)/workloads/stack_paths_nofp
TS_SRC    := $(filter-out $(GEN_TS),$(shell find src -name '*.ts' -o -name '*.tsx' 2>/dev/null))
TS_STAMP  := $(OUT)/dist/.stamp
# TS code generated from the proto (ignored by git): a static protobufjs module
# beside the sources (tsc's rootDir), and its copy beside the compiled code
TS_GEN_DIR := src/core/wire/generated
TS_GEN     := $(TS_GEN_DIR)/syscall_prof.js $(TS_GEN_DIR)/syscall_prof.d.ts
TS_GEN_OUT := $(OUT)/dist/core/wire/generated/syscall_prof.js
# 64-bit fields typed as numbers (the decoders read them as numbers, see
# src/core/wire/number-reader.ts); nested messages typed as their classes
PBJS_FLAGS := -t static-module -w scripts/pbjs-esm-wrapper.js --es6 -r syscallprof \
	--force-number --force-message --no-typeurl --no-service

# Debian packages that building needs (make deps); the ones only tests use are
# in DEB_TEST_PACKAGES (make deps-test, part of make test)
DEB_PACKAGES := clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libprotobuf-c-dev \
	libdw-dev libiberty-dev liblzma-dev libbz2-dev libzstd-dev \
	protobuf-c-compiler pkg-config make gcc linux-libc-dev linux-libc-dev-arm64-cross binutils dpkg-dev liburing-dev
DEB_TEST_PACKAGES := strace linux-perf bpftrace libbpf-tools tmux mawk bc time prometheus stress-ng \
	groff-base man-db zsh fio nftables curl

.PHONY: build deps deps-apt deps-npm deps-test deps-corpus dist install uninstall deb test test-unit test-corpus lint-deps demo bench bench-soak bench-sample bench-services clean loader workloads ts gen ts-gen bpf-arm64-check

build: deps $(LOADER) $(WIDEN_TEST) $(UNWIND_TEST) $(WORKLOADS) $(TS_STAMP)

loader: $(LOADER) $(WIDEN_TEST) $(UNWIND_TEST)
workloads: $(WORKLOADS)
ts: $(TS_STAMP)
gen: $(GEN_STAMP)
ts-gen: $(TS_GEN) $(TS_GEN_OUT)

# --- dependencies (idempotent, quiet when all is present) ---
deps: deps-apt deps-npm

# installs the Debian packages named in $(1) that are missing ($(2): the target, for the message)
define apt_install
	$(Q)missing=$$(for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  APT      $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "make $(2): installing Debian packages needs root: sudo make $(2)" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps-apt:
	$(call apt_install,$(DEB_PACKAGES),deps)

# tools only the tests use: the other tracing backends, the soak's and the
# sweep's helpers, and what checks the man page, completions and .deb
deps-test:
	$(call apt_install,$(DEB_TEST_PACKAGES),deps-test)

deps-npm: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	$(call msg,NPM,ci)
	$(Q)npm ci --no-audit --no-fund --loglevel=error
	$(Q)touch $@

# --- syscall tables: kernel UAPI headers + scripts/syscall-args.txt ---
$(GEN_STAMP) $(GEN_TS) &: scripts/gen-syscalls.mjs scripts/syscall-args.txt
	$(call msg,GEN,$(OUT)/gen $(GEN_TS))
	$(Q)node scripts/gen-syscalls.mjs --c-dir $(OUT)/gen --ts $(GEN_TS)
	$(Q)touch $(GEN_STAMP) $(GEN_TS)

# --- BPF object, skeleton, protobuf C code, loader ---
$(OUT)/vmlinux.h: scripts/gen-vmlinux.sh | $(OUT)
	$(call msg,GEN,$@)
	$(Q)scripts/gen-vmlinux.sh $@

BPF_CFLAGS := -g -O2 -target bpf $(WARN) -Wno-unused-parameter $(INCLUDES)

$(BPF_OBJ): $(BPF_SRC) $(GEN_STAMP) $(OUT)/vmlinux.h | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -D__TARGET_ARCH_$(ARCH) -c $< -o $@

# the BPF object must build for arm64 too. compile only: this uses the build
# machine's vmlinux.h with a shim for arm64's struct user_pt_regs (see
# bpf/arch.bpf.h); CO-RE fixes field offsets at load time, but running on
# arm64 needs an arm64 machine (its own vmlinux.h, libbpf and kernel)
bpf-arm64-check: $(BPF_SRC) $(GEN_STAMP) $(OUT)/vmlinux.h | $(OUT)
	$(call msg,BPF,$(OUT)/arm64/syscall_prof.bpf.o (compile check))
	$(Q)mkdir -p $(OUT)/arm64
	$(Q)$(CLANG) $(BPF_CFLAGS) -D__TARGET_ARCH_arm64 -DSP_ARM64_COMPILE_CHECK \
		-c bpf/syscall_prof.bpf.c -o $(OUT)/arm64/syscall_prof.bpf.o

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

$(OUT)/loader/%.o: loader/%.c loader/loader.h $(wildcard bpf/*.h) $(GEN_STAMP) $(SKEL) $(PB_H)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) $(INCLUDES) -Iloader -c $< -o $@

$(LOADER): $(LOADER_OBJ) $(OUT)/proto/syscall_prof.pb-c.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -ldw -lelf -liberty -lbpf -lz -lprotobuf-c -o $@

# widen.c's table on its own (run by test/integration/loader.test.ts)
$(WIDEN_TEST): loader/test/widen_test.c $(OUT)/loader/widen.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) $(INCLUDES) -Iloader $^ -o $@

# the stacks test's real binary without frame pointers (make deps-test)
DEB_TEST_PACKAGES += sqlite3

# the unwinder and symbolizer on their own, on the test's own stack: no frame
# pointers, so only .eh_frame unwinds it (run by test/integration/stacks-loader.test.ts)
$(UNWIND_TEST): loader/test/unwind_test.c $(OUT)/loader/unwind.o $(OUT)/loader/symbolize.o
	$(call msg,LINK,$@)
	$(Q)$(CC) -O2 -fomit-frame-pointer $(WARN) $(INCLUDES) -Iloader $^ -ldw -lelf -liberty -o $@

# --- test workloads (small C programs) ---
$(OUT)/workloads/%: test/workloads/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 $(WARN) $< -o $@ -lpthread

# the stack workload with frame pointers and without (only .eh_frame unwinds it)
$(OUT)/workloads/stack_paths_fp: test/workloads/stack_paths.c test/workloads/workdir.h test/workloads/common.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -fno-omit-frame-pointer $(WARN) $< -o $@

$(OUT)/workloads/stack_paths_nofp: test/workloads/stack_paths.c test/workloads/workdir.h test/workloads/common.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -fomit-frame-pointer $(WARN) $< -o $@

# the io_uring workloads link liburing (the shorter stem wins over the rule above)
$(OUT)/workloads/uring_%: test/workloads/uring_%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 $(WARN) $< -o $@ -luring

# --- TypeScript ---
$(TS_GEN) &: proto/syscall_prof.proto scripts/pbjs-esm-wrapper.js node_modules/.package-lock.json
	$(call msg,PBJS,$(TS_GEN_DIR))
	$(Q)mkdir -p $(TS_GEN_DIR)
	$(Q)npx pbjs $(PBJS_FLAGS) -o $(TS_GEN_DIR)/syscall_prof.js proto/syscall_prof.proto
	$(Q)npx pbts --no-comments -o $(TS_GEN_DIR)/syscall_prof.d.ts $(TS_GEN_DIR)/syscall_prof.js

# tsc compiles .ts only: the generated .js is copied next to its importers
$(TS_GEN_OUT): $(TS_GEN_DIR)/syscall_prof.js
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

$(TS_STAMP): $(TS_SRC) $(GEN_TS) $(TS_GEN) $(TS_GEN_OUT) tsconfig.json node_modules/.package-lock.json
	$(call msg,TSC,$(OUT)/dist)
	$(Q)npx tsc -p tsconfig.json
	$(Q)touch $@

$(OUT):
	$(Q)mkdir -p $@

# --- one download that runs anywhere (make dist), make install, make deb ---
# The tarball holds the tree `make install` copies under PREFIX: bin/syscall-prof
# (a single executable: node with the bundled CLI injected, see
# scripts/bundle.mjs), libexec/syscall-prof/syscall-prof-loader (libbpf, libelf,
# zlib and protobuf-c linked statically; glibc stays dynamic), the man page and
# the completions generated from the command tree, and the docs.
VERSION    := $(shell sed -n 's/^  "version": "\(.*\)",$$/\1/p' package.json)
ifeq ($(VERSION),)
$(error no "version" line in package.json)
endif
NODE       ?= node
STRIP      ?= strip
DIST_DIR   := $(OUT)/dist-pkg
DIST_NAME  := syscall-prof-$(VERSION)-linux-$(UNAME_M)
DIST_TREE  := $(DIST_DIR)/$(DIST_NAME)
DIST_TAR   := $(DIST_DIR)/$(DIST_NAME).tar.gz
DIST_STAMP := $(DIST_TREE)/.stamp
SEA_DIR    := $(DIST_DIR)/sea
SEA_JS     := $(SEA_DIR)/syscall-prof.cjs
SEA_BIN    := $(SEA_DIR)/syscall-prof
LOADER_STATIC := $(DIST_DIR)/loader/syscall-prof-loader
CLI_DOCS   := $(DIST_DIR)/docs/syscall-prof.1 $(DIST_DIR)/docs/syscall-prof.bash $(DIST_DIR)/docs/_syscall-prof
# the fuse node looks for to know that a blob was injected (node's SEA docs)
SEA_FUSE   := NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2
# the docs: the README, the architecture notes, the agent's systemd unit, PromQL and Grafana examples
DOC_FILES  := README.md $(sort $(wildcard docs/*))
# files under PREFIX, as installed (and as in the tarball)
INSTALL_FILES := bin/syscall-prof libexec/syscall-prof/syscall-prof-loader \
	share/man/man1/syscall-prof.1 share/bash-completion/completions/syscall-prof \
	share/zsh/site-functions/_syscall-prof $(addprefix share/doc/syscall-prof/,$(notdir $(DOC_FILES)))
PREFIX     ?= /usr/local
DESTDIR    ?=

dist: $(DIST_TAR)

$(SEA_JS): $(TS_STAMP) scripts/bundle.mjs package.json
	$(call msg,BUNDLE,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(NODE) scripts/bundle.mjs --entry $(OUT)/dist/cli/sea.js --out $@

# node's own binary (stripped) with the bundle injected; node >= 20 builds it,
# and the result embeds that node
$(SEA_BIN): $(SEA_JS)
	$(call msg,SEA,$@)
	$(Q)printf '{"main":"%s","output":"%s","disableExperimentalSEAWarning":true,"useCodeCache":true}\n' \
		$(SEA_JS) $(SEA_DIR)/blob > $(SEA_DIR)/sea-config.json
	$(Q)$(NODE) --experimental-sea-config $(SEA_DIR)/sea-config.json > $(SEA_DIR)/sea.log 2>&1 || { cat $(SEA_DIR)/sea.log; exit 1; }
	$(Q)cp "$$($(NODE) -p process.execPath)" $@.tmp && chmod u+w $@.tmp && $(STRIP) $@.tmp
	$(Q)npx postject $@.tmp NODE_SEA_BLOB $(SEA_DIR)/blob --sentinel-fuse $(SEA_FUSE) > $(SEA_DIR)/postject.log 2>&1 \
		|| { cat $(SEA_DIR)/postject.log; rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@

# libdw (the unwinder) with what its .a needs: libelf, and the compressions of debug sections
LOADER_STATIC_LIBS = -ldw -liberty $(shell pkg-config --static --libs libbpf libprotobuf-c) -lbz2 -llzma -lzstd -lz -lpthread

$(LOADER_STATIC): $(LOADER_OBJ) $(OUT)/proto/syscall_prof.pb-c.o
	$(call msg,LINK,$@ (static libbpf, libdw, libelf, compressors, protobuf-c))
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $^ -Wl,-Bstatic $(LOADER_STATIC_LIBS) -Wl,-Bdynamic -o $@
	$(Q)$(STRIP) $@

$(CLI_DOCS) &: $(TS_STAMP) scripts/gen-cli-docs.mjs
	$(call msg,GEN,$(CLI_DOCS))
	$(Q)$(NODE) scripts/gen-cli-docs.mjs --man $(DIST_DIR)/docs/syscall-prof.1 \
		--bash $(DIST_DIR)/docs/syscall-prof.bash --zsh $(DIST_DIR)/docs/_syscall-prof

$(DIST_STAMP): $(SEA_BIN) $(LOADER_STATIC) $(CLI_DOCS) $(DOC_FILES)
	$(call msg,TREE,$(DIST_TREE))
	$(Q)rm -rf $(DIST_TREE)
	$(Q)install -D -m 755 $(SEA_BIN) $(DIST_TREE)/bin/syscall-prof
	$(Q)install -D -m 755 $(LOADER_STATIC) $(DIST_TREE)/libexec/syscall-prof/syscall-prof-loader
	$(Q)install -D -m 644 $(DIST_DIR)/docs/syscall-prof.1 $(DIST_TREE)/share/man/man1/syscall-prof.1
	$(Q)install -D -m 644 $(DIST_DIR)/docs/syscall-prof.bash $(DIST_TREE)/share/bash-completion/completions/syscall-prof
	$(Q)install -D -m 644 $(DIST_DIR)/docs/_syscall-prof $(DIST_TREE)/share/zsh/site-functions/_syscall-prof
	$(Q)install -D -m 644 -t $(DIST_TREE)/share/doc/syscall-prof $(DOC_FILES)
	$(Q)touch $@

# reproducible: sorted names, root owner, the commit's time
$(DIST_TAR): $(DIST_STAMP)
	$(call msg,TAR,$@)
	$(Q)tar -C $(DIST_DIR) --sort=name --owner=0 --group=0 --numeric-owner --exclude=.stamp \
		--mtime="@$$(git log -1 --format=%ct 2>/dev/null || echo 0)" -czf $@ $(DIST_NAME)

install: $(DIST_STAMP)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)for f in $(INSTALL_FILES); do \
		install -D -m "$$(stat -c %a $(DIST_TREE)/$$f)" $(DIST_TREE)/$$f "$(DESTDIR)$(PREFIX)/$$f" || exit 1; done

# a .deb of the same tree under /usr, built with dpkg-deb alone; Depends is
# what dpkg-shlibdeps finds the two ELF files need (everything else is inside them)
DEB_ARCH       := $(shell dpkg --print-architecture 2>/dev/null)
DEB            := $(DIST_DIR)/syscall-prof_$(VERSION)_$(DEB_ARCH).deb
DEB_ROOT       := $(DIST_DIR)/deb/root
DEB_MAINTAINER ?= syscall-prof maintainers <root@localhost>
DESCRIPTION    := $(shell sed -n 's/^  "description": "\(.*\)",$$/\1/p' package.json)

deb: $(DEB)

$(DEB): $(DIST_STAMP)
	$(call msg,DEB,$@)
	$(Q)rm -rf $(DIST_DIR)/deb && mkdir -p $(DEB_ROOT)/DEBIAN $(DIST_DIR)/deb/shlibs/debian
	$(Q)$(MAKE) -s --no-print-directory install PREFIX=/usr DESTDIR=$(abspath $(DEB_ROOT))
	$(Q)gzip -9n $(DEB_ROOT)/usr/share/man/man1/syscall-prof.1
	$(Q)touch $(DIST_DIR)/deb/shlibs/debian/control
	$(Q)depends=$$(cd $(DIST_DIR)/deb/shlibs && dpkg-shlibdeps -O $(abspath $(DEB_ROOT))/usr/bin/syscall-prof \
		$(abspath $(DEB_ROOT))/usr/libexec/syscall-prof/syscall-prof-loader 2>../shlibdeps.log \
		| sed -n 's/^shlibs:Depends=//p'); \
	if [ -z "$$depends" ]; then cat $(DIST_DIR)/deb/shlibdeps.log; echo "make deb: dpkg-shlibdeps found no Depends" >&2; exit 1; fi; \
	{ echo "Package: syscall-prof"; echo "Version: $(VERSION)"; echo "Architecture: $(DEB_ARCH)"; \
	  echo "Maintainer: $(DEB_MAINTAINER)"; echo "Installed-Size: $$(du -sk $(DEB_ROOT)/usr | cut -f1)"; \
	  echo "Depends: $$depends"; echo "Section: devel"; echo "Priority: optional"; \
	  echo "Description: $(DESCRIPTION)"; \
	  echo " syscall-prof measures the latency of system calls of a command, of running"; \
	  echo " processes, of a cgroup or of the whole system, with eBPF (strace, perf trace"; \
	  echo " or bpftrace when eBPF cannot be used), and analyses, compares and judges"; \
	  echo " captures. One executable with node inside; the loader has libbpf inside."; \
	} > $(DEB_ROOT)/DEBIAN/control
	$(Q)cd $(DEB_ROOT) && find usr -type f -exec md5sum {} + | sort -k2 > DEBIAN/md5sums
	$(Q)dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $@ >/dev/null

uninstall:
	$(Q)for f in $(INSTALL_FILES); do rm -f "$(DESTDIR)$(PREFIX)/$$f"; done
	$(Q)rmdir "$(DESTDIR)$(PREFIX)/libexec/syscall-prof" "$(DESTDIR)$(PREFIX)/share/doc/syscall-prof" 2>/dev/null || true


# --- the README's two commands ---
# every test: the import direction, type check, unit tests, integration tests on the real kernel (root)
test: build deps-test lint-deps bpf-arm64-check deps-corpus dist deb
	$(call msg,TSC,--noEmit)
	$(Q)npx tsc -p tsconfig.json --noEmit
	$(Q)npx vitest run --project unit --project integration
	$(call msg,CORPUS,real programs)
	$(Q)npx vitest run --project corpus

# the one-way flow of src/ (rules in .dependency-cruiser.cjs); fails on any upward import or cycle
lint-deps: deps-npm
	$(call msg,DEPCRUISE,src)
	$(Q)npx depcruise src --config .dependency-cruiser.cjs --output-type err

# the real-program corpus (part of make test, run alone after the rest so that
# its verdicts are not taken on a machine busy with other tests): PostgreSQL,
# Redis and nginx in their own cgroups on 127.0.0.1, and commands. Installing
# them must not start the packaged services (nginx would listen on every
# address): a policy-rc.d that forbids starting is in place while apt runs.
CORPUS_PACKAGES := postgresql redis-server redis-tools nginx-light wrk sqlite3 python3 git tar

deps-corpus:
	$(Q)missing=$$(for p in $(CORPUS_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  APT      $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps-corpus: installing Debian packages needs root" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		policy=; if [ ! -e /usr/sbin/policy-rc.d ]; then policy=/usr/sbin/policy-rc.d; \
			printf '#!/bin/sh\nexit 101\n' > $$policy && chmod 755 $$policy; fi; \
		apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; rc=$$?; \
		if [ -n "$$policy" ]; then rm -f $$policy; fi; \
		exit $$rc; \
	fi

test-corpus: build deps-corpus
	$(Q)npx vitest run --project corpus

test-unit: build
	$(Q)npx vitest run --project unit

# the main job on the built-in demo workload
demo: build
	$(Q)if [ "$$(id -u)" != 0 ]; then echo "make demo: eBPF tracing needs root: sudo make demo" >&2; exit 1; fi
	$(Q)mkdir -p $(OUT)/demo
	node bin/syscall-prof.js trace -- $(OUT)/workloads/demo 3000 $(OUT)/demo/demo.log

bench: build deps-test
	$(Q)bench/run.sh
	$(Q)bench/capture.sh
	$(Q)bench/analyze.sh
	$(Q)bench/backends.sh
	$(Q)bench/live.sh
	$(Q)bench/controller.sh
	$(Q)bench/io-uring.sh
	$(Q)bench/stacks.sh

# the agent under process churn for 10 minutes (SOAK_SECONDS=120 for a short run); not part of bench
bench-soak: build deps-test
	$(Q)bench/soak.sh

# what --sample saves: paired, rotated rounds against the empty programs
bench-sample: build
	$(Q)bench/sample.sh

# PostgreSQL (pgbench) and Redis (redis-benchmark) in their own cgroups under
# the floor (the loader's empty programs), agent, agent --sample 16, live,
# syscount -L and bpftrace: paired runs, throughput ratios and the profiler's
# CPU share (BENCH_PAIRS=5 BENCH_SECONDS=8, about 25 minutes); not part of bench
bench-services: build deps-test deps-corpus
	$(Q)bench/services.sh

clean:
	rm -rf $(OUT) $(dir $(GEN_TS)) $(TS_GEN_DIR)
