/* elf: function symbols, address → file offset, USDT notes and target resolution with libelf.
 * See elf.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/elf.h"

/* libstdc++'s demangler (etrace links libstdc++ for LLVM); declared here because it is C++ API. */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

char *elf_demangle(const char *name)
{
	int status = 0;
	char *d;

	if (!name || strncmp(name, "_Z", 2) != 0)
		return NULL;
	d = __cxa_demangle(name, NULL, NULL, &status);
	if (status != 0) {
		free(d);
		return NULL;
	}
	return d;
}

/* ---- opening ---- */

struct elf_file {
	int fd;
	Elf *e;
};

static int elf_open(const char *path, struct elf_file *f)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	f->e = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!f->e || elf_kind(f->e) != ELF_K_ELF) {
		if (f->e)
			elf_end(f->e);
		close(f->fd);
		return -ENOEXEC;
	}
	return 0;
}

static void elf_close(struct elf_file *f)
{
	elf_end(f->e);
	close(f->fd);
}

/* ---- symbols ---- */

static int sym_cmp(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int add_syms(Elf *e, Elf_Scn *scn, GElf_Shdr *sh, struct elf_syms *out, size_t *cap)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t i, n;

	if (!d || !sh->sh_entsize)
		return 0;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		GElf_Sym s;
		const char *name;
		int type;

		if (!gelf_getsym(d, (int)i, &s))
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_shndx == SHN_UNDEF || !s.st_value)
			continue;
		name = elf_strptr(e, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		if (out->count == *cap) {
			size_t nc = *cap ? *cap * 2 : 256;
			struct elf_sym *ns = realloc(out->syms, nc * sizeof(*ns));

			if (!ns)
				return -ENOMEM;
			out->syms = ns;
			*cap = nc;
		}
		out->syms[out->count].name = strdup(name);
		if (!out->syms[out->count].name)
			return -ENOMEM;
		out->syms[out->count].demangled = elf_demangle(name);
		out->syms[out->count].addr = s.st_value;
		out->syms[out->count].size = s.st_size;
		out->count++;
	}
	return 0;
}

int elf_read_syms(const char *path, struct elf_syms *out)
{
	struct elf_file f = {.fd = -1, .e = NULL};
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t cap = 0, i, j;
	int err;

	*out = (struct elf_syms){0};
	err = elf_open(path, &f);
	if (err)
		return err;
	if (gelf_getehdr(f.e, &eh))
		out->is_dyn = eh.e_type == ET_DYN;
	while ((scn = elf_nextscn(f.e, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		err = add_syms(f.e, scn, &sh, out, &cap);
		if (err) {
			elf_close(&f);
			elf_syms_free(out);
			return err;
		}
	}
	elf_close(&f);
	if (out->count)
		qsort(out->syms, out->count, sizeof(*out->syms), sym_cmp);
	/* the same symbol in .symtab and .dynsym: keep one */
	for (i = j = 0; i < out->count; i++) {
		if (j && out->syms[j - 1].addr == out->syms[i].addr &&
		    strcmp(out->syms[j - 1].name, out->syms[i].name) == 0) {
			free(out->syms[i].name);
			free(out->syms[i].demangled);
			continue;
		}
		out->syms[j++] = out->syms[i];
	}
	out->count = j;
	return 0;
}

void elf_syms_free(struct elf_syms *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->count; i++) {
		free(s->syms[i].name);
		free(s->syms[i].demangled);
	}
	free(s->syms);
	*s = (struct elf_syms){0};
}

const struct elf_sym *elf_syms_lookup(const struct elf_syms *s, uint64_t addr)
{
	size_t lo = 0, hi = s->count;
	const struct elf_sym *best;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	best = &s->syms[lo - 1];
	/* prefer a sized symbol covering addr among those at the same address */
	if (best->size && addr >= best->addr + best->size)
		return NULL;
	return best;
}

int elf_symbol_addr(const char *path, const char *name, uint64_t *addr, bool *is_dyn)
{
	struct elf_file f = {.fd = -1, .e = NULL};
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	int err = elf_open(path, &f);

	if (err)
		return err;
	*is_dyn = gelf_getehdr(f.e, &eh) && eh.e_type == ET_DYN;
	err = -ENOENT;
	while (err && (scn = elf_nextscn(f.e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym s;
			const char *nm;

			if (!gelf_getsym(d, (int)i, &s) || s.st_shndx == SHN_UNDEF)
				continue;
			nm = elf_strptr(f.e, sh.sh_link, s.st_name);
			if (nm && strcmp(nm, name) == 0) {
				*addr = s.st_value;
				err = 0;
				break;
			}
		}
	}
	elf_close(&f);
	return err;
}

/* ---- address → offset ---- */

static int vaddr_to_offset(Elf *e, uint64_t vaddr, uint64_t *offset)
{
	size_t n, i;

	if (elf_getphdrnum(e, &n))
		return -ENOEXEC;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_memsz) {
			*offset = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

int elf_vaddr_to_offset(const char *path, uint64_t vaddr, uint64_t *offset)
{
	struct elf_file f = {.fd = -1, .e = NULL};
	int err = elf_open(path, &f);

	if (err)
		return err;
	err = vaddr_to_offset(f.e, vaddr, offset);
	elf_close(&f);
	return err;
}

int elf_offset_to_vaddr(const char *path, uint64_t off, uint64_t *vaddr)
{
	struct elf_file f = {.fd = -1, .e = NULL};
	size_t n, i;
	int err = elf_open(path, &f);

	if (err)
		return err;
	err = -ENOENT;
	if (elf_getphdrnum(f.e, &n) == 0) {
		for (i = 0; i < n; i++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(f.e, (int)i, &ph) || ph.p_type != PT_LOAD)
				continue;
			if (off >= ph.p_offset && off < ph.p_offset + ph.p_filesz) {
				*vaddr = off - ph.p_offset + ph.p_vaddr;
				err = 0;
				break;
			}
		}
	}
	elf_close(&f);
	return err;
}

/* ---- USDT notes ---- */

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static int add_note(Elf *e, struct elf_notes *out, size_t *cap, const uint8_t *desc, size_t len,
		    uint64_t base_addr, bool have_base)
{
	const char *prov, *name, *args, *end = (const char *)desc + len;
	struct elf_note *n;
	uint64_t pc, base, sem;

	if (len < 24)
		return 0;
	pc = rd64(desc);
	base = rd64(desc + 8);
	sem = rd64(desc + 16);
	prov = (const char *)desc + 24;
	name = memchr(prov, 0, (size_t)(end - prov));
	if (!name++ || name >= end)
		return 0;
	args = memchr(name, 0, (size_t)(end - name));
	if (!args++ || args > end)
		return 0;
	if (args == end || !memchr(args, 0, (size_t)(end - args)))
		args = "";
	if (have_base) { /* prelinked: move by the difference between actual and recorded base */
		pc += base_addr - base;
		if (sem)
			sem += base_addr - base;
	}
	if (out->count == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct elf_note *nn = realloc(out->notes, nc * sizeof(*nn));

		if (!nn)
			return -ENOMEM;
		out->notes = nn;
		*cap = nc;
	}
	n = &out->notes[out->count];
	*n = (struct elf_note){0};
	n->provider = strdup(prov);
	n->name = strdup(name);
	n->args = strdup(args);
	n->pc = pc;
	if (!n->provider || !n->name || !n->args) {
		free(n->provider);
		free(n->name);
		free(n->args);
		return -ENOMEM;
	}
	out->count++;
	if (vaddr_to_offset(e, pc, &n->pc_offset))
		n->pc_offset = pc;
	if (sem && vaddr_to_offset(e, sem, &n->sem_offset))
		n->sem_offset = 0;
	return 0;
}

int elf_read_notes(const char *path, struct elf_notes *out)
{
	struct elf_file f = {.fd = -1, .e = NULL};
	Elf_Scn *scn = NULL;
	size_t shstrndx, cap = 0;
	uint64_t base_addr = 0;
	bool have_base = false;
	int err;

	*out = (struct elf_notes){0};
	err = elf_open(path, &f);
	if (err)
		return err;
	if (elf_getshdrstrndx(f.e, &shstrndx)) {
		elf_close(&f);
		return -ENOEXEC;
	}
	while ((scn = elf_nextscn(f.e, scn))) {
		GElf_Shdr sh;
		const char *nm;

		if (!gelf_getshdr(scn, &sh))
			continue;
		nm = elf_strptr(f.e, shstrndx, sh.sh_name);
		if (nm && strcmp(nm, ".stapsdt.base") == 0) {
			base_addr = sh.sh_addr;
			have_base = true;
		}
	}
	while (!err && (scn = elf_nextscn(f.e, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *d;
		const char *nm;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		nm = elf_strptr(f.e, shstrndx, sh.sh_name);
		if (!nm || strcmp(nm, ".note.stapsdt") != 0)
			continue;
		d = elf_getdata(scn, NULL);
		while (!err && d && (off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			if (nh.n_type != 3 || nh.n_namesz != 8 ||
			    memcmp((const char *)d->d_buf + noff, "stapsdt", 8) != 0)
				continue;
			err = add_note(f.e, out, &cap, (const uint8_t *)d->d_buf + doff, nh.n_descsz, base_addr,
				       have_base);
		}
	}
	elf_close(&f);
	if (err)
		elf_notes_free(out);
	return err;
}

void elf_notes_free(struct elf_notes *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->count; i++) {
		free(n->notes[i].provider);
		free(n->notes[i].name);
		free(n->notes[i].args);
	}
	free(n->notes);
	*n = (struct elf_notes){0};
}

/* ---- finding the file ---- */

static bool is_elf64(const char *path)
{
	unsigned char id[EI_NIDENT];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = read(fd, id, sizeof(id)) == (ssize_t)sizeof(id) && memcmp(id, ELFMAG, SELFMAG) == 0 &&
	     id[EI_CLASS] == ELFCLASS64;
	close(fd);
	return ok;
}

/* Does a library file name ("libc.so.6") answer to what the user wrote ("libc", "libc.so", "libc.so.6")? */
static bool lib_matches(const char *want, const char *file)
{
	size_t n = strlen(want);

	if (strcmp(want, file) == 0)
		return true;
	if (strncmp(file, want, n) != 0)
		return false;
	if (strstr(want, ".so"))
		return file[n] == '.'; /* "libc.so" → "libc.so.6" */
	return strncmp(file + n, ".so", 3) == 0 && (file[n + 3] == 0 || file[n + 3] == '.');
}

/* glibc's ld.so.cache ("glibc-ld.so.cache1.1"): header, entries of 24 bytes, strings whose offsets
 * count from the start of the file. The old "ld.so-1.7.0" block may come first. */
#define CACHE_NEW "glibc-ld.so.cache1.1"
static int from_ld_cache(const char *want, char *out, size_t len)
{
	struct stat st;
	const uint8_t *map, *p, *end;
	int fd, err = -ENOENT;
	uint32_t nlibs, i;

	fd = open("/etc/ld.so.cache", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size < 48) {
		close(fd);
		return -ENOENT;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -errno;
	end = map + st.st_size;
	p = map;
	if (memcmp(p, "ld.so-1.7.0", 11) == 0) {
		uint32_t nold;

		memcpy(&nold, p + 12, 4);
		p += 16 + (size_t)nold * 12;
		p = map + (((size_t)(p - map) + 7) & ~(size_t)7);
	}
	if (p + 48 > end || memcmp(p, CACHE_NEW, strlen(CACHE_NEW)) != 0)
		goto out;
	memcpy(&nlibs, p + 20, 4);
	for (i = 0; i < nlibs; i++) {
		const uint8_t *ent = p + 48 + (size_t)i * 24;
		uint32_t key, value;
		int32_t flags;
		const char *k, *v;

		if (ent + 24 > end)
			break;
		memcpy(&flags, ent, 4);
		memcpy(&key, ent + 4, 4);
		memcpy(&value, ent + 8, 4);
		if (key >= st.st_size || value >= st.st_size)
			continue;
		k = (const char *)map + key;
		v = (const char *)map + value;
		if (!memchr(k, 0, (size_t)(end - (const uint8_t *)k)) || !memchr(v, 0, (size_t)(end - (const uint8_t *)v)))
			continue;
		/* (flags & 0xff) == 3: ELF libc6; 0x0300: x86-64 */
		if ((flags & 0xff) != 3 || (flags & 0xff00) != 0x0300)
			continue;
		if (lib_matches(want, k) && is_elf64(v) && strlen(v) < len) {
			strcpy(out, v);
			err = 0;
			break;
		}
	}
out:
	munmap((void *)map, (size_t)st.st_size);
	return err;
}

/* The best match for want in one directory: the shortest matching name (the one ld.so opens by its
 * soname or link name). */
static int from_dir(const char *dir, const char *want, char *out, size_t len)
{
	char best[PATH_MAX] = "";
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		char path[PATH_MAX];

		if (!lib_matches(want, de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (is_elf64(path) && (!*best || strlen(path) < strlen(best)))
			snprintf(best, sizeof(best), "%s", path);
	}
	closedir(d);
	if (!*best || strlen(best) >= len)
		return -ENOENT;
	strcpy(out, best);
	return 0;
}

/* LD_LIBRARY_PATH first, as ld.so searches it before its cache. */
static int from_env(const char *want, char *out, size_t len)
{
	const char *lp = getenv("LD_LIBRARY_PATH"), *s, *e;

	for (s = lp; s && *s; s = *e ? e + 1 : e) {
		char dir[PATH_MAX];

		e = strchr(s, ':');
		if (!e)
			e = s + strlen(s);
		if (e == s || (size_t)(e - s) >= sizeof(dir))
			continue;
		snprintf(dir, sizeof(dir), "%.*s", (int)(e - s), s);
		if (from_dir(dir, want, out, len) == 0)
			return 0;
	}
	return -ENOENT;
}

static int from_dirs(const char *want, char *out, size_t len)
{
	static const char *const dirs[] = {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
					   "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"};
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (from_dir(dirs[i], want, out, len) == 0)
			return 0;
	return -ENOENT;
}

static int from_path(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH"), *s, *e;

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
	for (s = path; *s; s = *e ? e + 1 : e) {
		char full[PATH_MAX];

		e = strchr(s, ':');
		if (!e)
			e = s + strlen(s);
		if (e == s)
			continue;
		snprintf(full, sizeof(full), "%.*s/%s", (int)(e - s), s, name);
		if (access(full, X_OK) == 0 && is_elf64(full)) {
			if (!realpath(full, out) || strlen(out) >= len)
				return -ENAMETOOLONG;
			return 0;
		}
	}
	return -ENOENT;
}

int elf_resolve_target(const char *name, char *out, size_t len)
{
	char buf[PATH_MAX];

	if (!name || !*name)
		return -ENOENT;
	if (strchr(name, '/')) {
		/* /proc/PID/root/...: another mount namespace's file, reached only through that link
		 * (realpath would follow it to the same path in etrace's own namespace) */
		if (strncmp(name, "/proc/", 6) == 0 && strstr(name, "/root/")) {
			if (access(name, R_OK) != 0)
				return -errno;
			snprintf(buf, sizeof(buf), "%s", name);
		} else if (!realpath(name, buf)) {
			return -errno;
		}
		if (!is_elf64(buf))
			return -ENOEXEC;
		if (strlen(buf) >= len)
			return -ENAMETOOLONG;
		strcpy(out, buf);
		return 0;
	}
	if (from_env(name, buf, sizeof(buf)) == 0 || from_ld_cache(name, buf, sizeof(buf)) == 0 ||
	    from_dirs(name, buf, sizeof(buf)) == 0) {
		if (strlen(buf) >= len)
			return -ENAMETOOLONG;
		strcpy(out, buf);
		return 0;
	}
	return from_path(name, out, len);
}
