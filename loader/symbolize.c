// SPDX-License-Identifier: MIT
/*
 * naming a stack's addresses: libdwfl finds the symbol in the binary's
 * .symtab, else its .dynsym (or .gnu_debugdata), else in a separate debug
 * file found by build-id or debuglink under /usr/lib/debug; C++ and Rust
 * names are demangled with libiberty. an address with no name says why.
 */
#define _GNU_SOURCE
#include <errno.h>
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
