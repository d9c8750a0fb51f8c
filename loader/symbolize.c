// SPDX-License-Identifier: MIT
/*
 * naming a stack's addresses: libdwfl finds the symbol in the binary's
 * .symtab, else its .dynsym (or .gnu_debugdata), else in a separate debug
 * file found by build-id or debuglink under /usr/lib/debug; C++ and Rust
 * names are demangled with libiberty. an address with no name says why.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elfutils/libdwfl.h>
#include <libiberty/demangle.h>
#include "stacks.h"

char *demangle(const char *name)
{
	char *d = NULL;

	/* _Z: C++ (and Rust legacy); _R: Rust v0 */
	if (name[0] == '_' && (name[1] == 'Z' || name[1] == 'R'))
		d = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
	return d ? d : strdup(name);
}

void sym_frame_free(struct sym_frame *f)
{
	free(f->symbol);
	free(f->module);
	*f = (struct sym_frame){ 0 };
}

int symbolize(struct unwinder *u, uint32_t tgid, uint64_t ip, bool innermost,
	      struct sym_frame *out)
{
	Dwfl *dwfl = unwinder_dwfl(u, tgid);
	/* a return address is past its call: look the call up */
	uint64_t at = innermost || !ip ? ip : ip - 1;
	const char *name, *mainfile = NULL, *modname;
	Dwfl_Module *mod;
	Dwarf_Addr bias = 0;
	GElf_Off off = 0;
	GElf_Sym sym;

	*out = (struct sym_frame){ 0 };
	mod = dwfl ? dwfl_addrmodule(dwfl, at) : NULL;
	if (!mod) {
		out->module = strdup("[anon]");
		out->module_offset = ip;
		out->unresolved = dwfl ? WHY_ANON : WHY_GONE;
		return out->module ? 0 : -ENOMEM;
	}
	/* finds the file first: its name is known after */
	if (dwfl_module_getelf(mod, &bias))
		out->module_offset = ip - bias;
	modname = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &mainfile, NULL);
	out->module = strdup(mainfile ? mainfile : modname ? modname : "[unknown]");
	if (!out->module)
		return -ENOMEM;
	name = dwfl_module_addrinfo(mod, at, &off, &sym, NULL, NULL, NULL);
	if (!name || !*name) {
		out->unresolved = WHY_NO_SYMBOLS;
		return 0;
	}
	out->symbol = demangle(name);
	/* a versioned .dynsym name (memcpy@@GLIBC_2.14): the function's name alone */
	if (out->symbol && strchr(out->symbol, '@'))
		*strchr(out->symbol, '@') = 0;
	if (!out->symbol) {
		sym_frame_free(out);
		return -ENOMEM;
	}
	out->symbol_offset = ip - (at - off);
	return 0;
}

struct ksym {
	uint64_t addr;
	char *name;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* /proc/kallsyms, sorted; read once, the first time a kernel frame is named */
static void ksyms_load(struct ksyms *k)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], name[256], type;
	unsigned long long addr;

	k->loaded = true;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr ||
		    (type != 't' && type != 'T' && type != 'w' && type != 'W'))
			continue;
		if (k->n == k->cap) {
			size_t cap = k->cap ? k->cap * 2 : 65536;
			struct ksym *v = realloc(k->v, cap * sizeof(*v));

			if (!v)
				break;
			k->v = v;
			k->cap = cap;
		}
		k->v[k->n].addr = addr;
		k->v[k->n].name = strdup(name);
		if (k->v[k->n].name)
			k->n++;
	}
	if (f)
		fclose(f);
	qsort(k->v, k->n, sizeof(*k->v), ksym_cmp);
}

void ksyms_free(struct ksyms *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].name);
	free(k->v);
	*k = (struct ksyms){ 0 };
}

int symbolize_kernel(struct ksyms *k, uint64_t ip, bool innermost, struct sym_frame *out)
{
	uint64_t at = innermost ? ip : ip - 1;
	size_t lo = 0, hi;

	*out = (struct sym_frame){ 0 };
	if (!k->loaded)
		ksyms_load(k);
	out->module = strdup("[kernel]");
	if (!out->module)
		return -ENOMEM;
	out->module_offset = ip;
	/* the last symbol at or below at */
	for (hi = k->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		/* no addresses: kptr_restrict hides them from us */
		out->unresolved = k->n ? WHY_NO_SYMBOLS : WHY_KSYMS_HIDDEN;
		return 0;
	}
	out->symbol = strdup(k->v[lo - 1].name);
	if (!out->symbol) {
		sym_frame_free(out);
		return -ENOMEM;
	}
	out->symbol_offset = ip - k->v[lo - 1].addr;
	return 0;
}
