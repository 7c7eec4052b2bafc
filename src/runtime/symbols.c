/* symbols: user addresses to "func+off" through /proc/PID/maps and libelf. See symbols.h. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "kernel/dwarf.h"
#include "kernel/elf.h"
#include "kernel/procfs.h"
#include "probes/provider.h"
#include "program/program.h"
#include "program/types.h"
#include "runtime/rt_int.h"
#include "runtime/symbols.h"

struct sym_file {
	char *path;
	struct elf_syms syms;
	int err;
	struct dwinfo *dw; /* its DWARF, opened on the first stack frame that asks (dw_tried) */
	bool dw_tried;
	struct sym_file *next;
};
static struct sym_file *cache;

static void cache_free(void)
{
	while (cache) {
		struct sym_file *n = cache->next;

		elf_syms_free(&cache->syms);
		dwinfo_close(cache->dw);
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

/* demangle: C++ names in their demangled form unless config cpp_demangle = false */
static int put_sym(struct rt_str *o, const struct sym_file *f, uint64_t vaddr, bool offset, bool demangle)
{
	const struct elf_sym *s = elf_syms_lookup(&f->syms, vaddr);

	if (!s)
		return -1;
	rt_str_puts(o, s->demangled && demangle ? s->demangled : s->name);
	if (offset)
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

/* The file's DWARF, opened on the first stack frame that asks; NULL when it has none. */
static struct dwinfo *file_dwarf(struct sym_file *f)
{
	if (!f->dw_tried) {
		f->dw_tried = true;
		f->dw = dwinfo_open(f->path);
	}
	return f->dw;
}

/* The file holding addr in pid's mappings (else a non-PIE binary a probe attaches to): "func[+off]" in
 * o, the file's path, and (when fo) the file and addr's virtual address in it. -1 when unknown. */
static int user_sym(struct rt_str *o, const struct et_program *prog, uint64_t addr, uint64_t pid, bool offset,
		    char *path, size_t plen, struct sym_file **fo, uint64_t *vo)
{
	uint64_t foff, vaddr;
	struct sym_file *f;
	uint32_t i;
	char reach[4096];
	const char *file = NULL;

	/* the file is read where etrace reaches it (a process in another mount namespace: through
	 * /proc/PID/root); path keeps the name the kernel gave */
	if (pid && find_mapping(pid, addr, path, plen, &foff) == 0)
		file = procfs_kernel_path((int)pid, path, reach, sizeof(reach));
	if (file && (f = file_syms(file)) && elf_offset_to_vaddr(file, foff, &vaddr) == 0 &&
	    put_sym(o, f, vaddr, offset, !prog || !prog->no_demangle) == 0) {
		if (fo) {
			*fo = f;
			*vo = vaddr;
		}
		return 0;
	}
	for (i = 0; prog && i < prog->nprobes; i++) {
		const char *t = prog->probes[i].target;

		if (!t || t[0] != '/' || !(prog->probes[i].provider->flags & PROVIDER_HAS_USER))
			continue;
		f = file_syms(t);
		/* only an address inside the binary's loaded segments: past its last (unsized) symbol, such
		 * as _fini, lie other objects' addresses */
		if (f && !f->syms.is_dyn && elf_vaddr_to_offset(t, addr, &foff) == 0 &&
		    put_sym(o, f, addr, offset, !prog || !prog->no_demangle) == 0) {
			snprintf(path, plen, "%s", t);
			if (fo) {
				*fo = f;
				*vo = addr;
			}
			return 0;
		}
	}
	return -1;
}

void sym_format_user(struct rt_str *o, const struct et_program *prog, uint64_t addr, uint64_t pid)
{
	char path[4096];

	if (pid == SYM_PROBE_FUNC) {
		if (prog && addr < prog->nprobes && prog->probes[addr].func) {
			char *d = prog->no_demangle ? NULL : elf_demangle(prog->probes[addr].func);

			rt_str_puts(o, d ? d : prog->probes[addr].func);
			free(d);
			return;
		}
		rt_str_puts(o, "[unknown]");
		return;
	}
	/* usym: no file and line, as bpftrace (its resolve_usym asks for none) */
	if (user_sym(o, prog, addr, pid, false, path, sizeof(path), NULL, NULL) == 0)
		return;
	sym_format_addr(o, addr);
}

void sym_format_addr(struct rt_str *o, uint64_t addr)
{
	if (addr)
		rt_str_printf(o, "0x%" PRIx64, addr);
	else
		rt_str_putc(o, '0');
}

/* ---- kernel symbols (/proc/kallsyms, read and sorted once, on first use) ---- */

struct ksym {
	uint64_t addr;
	char *name;
	bool text; /* a function (t/T/w/W): what a stack frame can be in */
};
static struct ksym *ksyms;
static size_t nksyms;
static bool ksyms_read;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void ksyms_free(void)
{
	for (size_t i = 0; i < nksyms; i++)
		free(ksyms[i].name);
	free(ksyms);
	ksyms = NULL;
	nksyms = 0;
}

static void ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	size_t cap = 0;

	ksyms_read = true;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		if (nksyms == cap) {
			cap = cap ? cap * 2 : 65536;
			ksyms = realloc(ksyms, cap * sizeof(*ksyms));
			if (!ksyms) {
				nksyms = 0;
				break;
			}
		}
		ksyms[nksyms].addr = addr;
		ksyms[nksyms].name = strdup(name);
		ksyms[nksyms].text = type == 't' || type == 'T' || type == 'w' || type == 'W';
		if (ksyms[nksyms].name)
			nksyms++;
	}
	fclose(f);
	if (nksyms)
		qsort(ksyms, nksyms, sizeof(*ksyms), ksym_cmp);
	atexit(ksyms_free);
}

int sym_format_kernel(struct rt_str *o, uint64_t addr, bool code)
{
	size_t lo = 0, hi;

	if (!ksyms_read)
		ksyms_load();
	hi = nksyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (code && lo && !ksyms[lo - 1].text)
		lo--;
	if (!lo)
		return -1;
	if (code)
		rt_str_printf(o, "%s+%" PRIu64, ksyms[lo - 1].name, addr - ksyms[lo - 1].addr);
	else
		rt_str_puts(o, ksyms[lo - 1].name);
	return 0;
}

/* ---- stacks ---- */

static int stack_fd = -1;

void sym_set_stack_map(int fd)
{
	stack_fd = fd;
}

/* A user frame's source frames from DWARF (dwinfo_src_frames): the functions inlined at its address,
 * innermost first, then the FILE:LINE of the function itself. */
#define SRC_MAX_INLINED 32
struct src_frames {
	struct rt_str name[SRC_MAX_INLINED], where[SRC_MAX_INLINED], outer;
	uint32_t n;
	bool demangle, have_outer;
};

static void src_frame(void *arg, const char *name, const char *linkage, const char *where)
{
	struct src_frames *sf = arg;
	char *d;

	if (!name) {
		rt_str_puts(&sf->outer, where);
		sf->have_outer = true;
		return;
	}
	if (sf->n == SRC_MAX_INLINED)
		return;
	/* C++: the mangled name, demangled unless cpp_demangle = false, as bpftrace's symbolizer names it */
	d = linkage && sf->demangle ? elf_demangle(linkage) : NULL;
	rt_str_puts(&sf->name[sf->n], d ? d : linkage ? linkage : name);
	free(d);
	rt_str_puts(&sf->where[sf->n], where);
	sf->n++;
}

static void src_frames_free(struct src_frames *sf)
{
	for (uint32_t j = 0; j < sf->n; j++) {
		rt_str_free(&sf->name[j]);
		rt_str_free(&sf->where[j]);
	}
	rt_str_free(&sf->outer);
}

void sym_format_stack(struct rt_str *o, const struct et_program *prog, const struct et_type *t,
		      const uint8_t *data)
{
	uint64_t ips[ET_STACK_MAX_DEPTH] = {0}, id, pid = 0;
	uint32_t key, depth = t->count ? t->count : ET_STACK_MAX_DEPTH, i;
	bool user = t->kind == ET_USTACK, perf = t->name && strcmp(t->name, "perf") == 0;
	bool raw = t->name && strcmp(t->name, "raw") == 0;
	/* show_debug_info (bpftrace's default): user frames from DWARF, with the functions inlined at each
	 * address as frames of their own ("[inlined] f@FILE:LINE"; "f (inlined)" in perf mode, which adds
	 * no FILE:LINE), as bpftrace's symbolizer gives them */
	bool debug_info = user && !raw && !(prog && prog->no_debug_info);
	char path[4096];

	memcpy(&id, data, 8);
	if (user)
		memcpy(&pid, data + 8, 8);
	rt_str_putc(o, '\n');
	key = (uint32_t)id;
	if ((int64_t)id < 0 || stack_fd < 0 || bpf_map_lookup_elem(stack_fd, &key, ips))
		return;
	for (i = 0; i < depth && i < ET_STACK_MAX_DEPTH && ips[i]; i++) {
		struct rt_str s = {0};
		struct src_frames sf = {.demangle = !prog || !prog->no_demangle};
		struct sym_file *f = NULL;
		uint64_t vaddr = 0;
		int found;

		path[0] = 0;
		found = user ? user_sym(&s, prog, ips[i], pid, true, path, sizeof(path), &f, &vaddr)
			     : sym_format_kernel(&s, ips[i], true);
		if (found == 0 && debug_info && file_dwarf(f))
			dwinfo_src_frames(f->dw, vaddr, src_frame, &sf);
		if (raw) {
			rt_str_printf(o, "%" PRIx64 "\n", ips[i]);
		} else if (perf) {
			for (uint32_t j = 0; j < sf.n; j++)
				rt_str_printf(o, "\t%" PRIx64 " %s (inlined)\n", ips[i], sf.name[j].s);
			rt_str_printf(o, "\t%" PRIx64 " %s (%s)\n", ips[i], found == 0 ? s.s : "[unknown]",
				      user ? (path[0] ? path : "[unknown]") : "[kernel.kallsyms]");
		} else {
			for (uint32_t j = 0; j < sf.n; j++)
				rt_str_printf(o, "        [inlined] %s@%s\n", sf.name[j].s, sf.where[j].s);
			rt_str_puts(o, "        ");
			if (found == 0)
				rt_str_puts(o, s.s);
			else
				rt_str_printf(o, "0x%" PRIx64, ips[i]);
			if (sf.have_outer)
				rt_str_printf(o, "@%s", sf.outer.s);
			rt_str_putc(o, '\n');
		}
		src_frames_free(&sf);
		rt_str_free(&s);
	}
}
