/* symbols: user addresses to "func+off" through /proc/PID/maps and libelf. See symbols.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../probes/elf.h"
#include "../../probes/provider.h"
#include "../sema/program.h"
#include "rt_int.h"
#include "symbols.h"

struct sym_file {
	char *path;
	struct elf_syms syms;
	int err;
	struct sym_file *next;
};
static struct sym_file *cache;

static void cache_free(void)
{
	while (cache) {
		struct sym_file *n = cache->next;

		elf_syms_free(&cache->syms);
		free(cache->path);
		free(cache);
		cache = n;
	}
}

static struct sym_file *file_syms(const char *path)
{
	struct sym_file *f;

	for (f = cache; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f->err ? NULL : f;
	f = rt_xcalloc(1, sizeof(*f));
	f->path = strdup(path);
	if (!f->path) {
		free(f);
		return NULL;
	}
	if (!cache)
		atexit(cache_free);
	f->err = elf_read_syms(path, &f->syms);
	f->next = cache;
	cache = f;
	return f->err ? NULL : f;
}

static int put_sym(struct rt_str *o, const struct sym_file *f, uint64_t vaddr)
{
	const struct elf_sym *s = elf_syms_lookup(&f->syms, vaddr);

	if (!s)
		return -1;
	rt_str_puts(o, s->demangled ? s->demangled : s->name);
	if (vaddr != s->addr)
		rt_str_printf(o, "+%" PRIu64, vaddr - s->addr);
	return 0;
}

/* The mapping of pid holding addr: its file and the file offset of addr. */
static int find_mapping(uint64_t pid, uint64_t addr, char *path, size_t len, uint64_t *foff)
{
	char fn[64], line[4096];
	FILE *m;
	int found = -1;

	snprintf(fn, sizeof(fn), "/proc/%" PRIu64 "/maps", pid);
	m = fopen(fn, "re");
	if (!m)
		return -1;
	while (found && fgets(line, sizeof(line), m)) {
		unsigned long long lo, hi, off;
		int pos = 0;

		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &lo, &hi, &off, &pos) < 3 || !pos)
			continue;
		if (addr < lo || addr >= hi || line[pos] != '/')
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(path, len, "%s", line + pos);
		*foff = addr - lo + off;
		found = 0;
	}
	fclose(m);
	return found;
}

void sym_format_user(struct rt_str *o, const struct et_program *prog, uint64_t addr, uint64_t pid)
{
	char path[4096];
	uint64_t foff, vaddr;
	struct sym_file *f;
	uint32_t i;

	if (pid == SYM_PROBE_FUNC) {
		if (prog && addr < prog->nprobes && prog->probes[addr].func) {
			char *d = elf_demangle(prog->probes[addr].func);

			rt_str_puts(o, d ? d : prog->probes[addr].func);
			free(d);
			return;
		}
		rt_str_puts(o, "[unknown]");
		return;
	}
	if (pid && find_mapping(pid, addr, path, sizeof(path), &foff) == 0 && (f = file_syms(path)) &&
	    elf_offset_to_vaddr(path, foff, &vaddr) == 0 && put_sym(o, f, vaddr) == 0)
		return;
	for (i = 0; prog && i < prog->nprobes; i++) {
		const char *t = prog->probes[i].target;

		if (!t || t[0] != '/' || !(prog->probes[i].provider->flags & PROVIDER_HAS_USER))
			continue;
		f = file_syms(t);
		if (f && !f->syms.is_dyn && put_sym(o, f, addr) == 0)
			return;
	}
	rt_str_printf(o, "0x%" PRIx64, addr);
}
