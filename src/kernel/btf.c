/* btf: kernel types from BTF, converted lazily into et_types. See btf.h.
 *
 * Design: libbpf parses the BTF blobs (vmlinux first, modules on demand); this file only walks them.
 * One conversion cache per compilation maps (module, id) to the completed et_type of a struct/union so
 * that a struct touched twice is converted once. Pointers never point at a cached completed struct:
 * their elem is a fresh stub, which keeps every et_type graph acyclic (task_struct reaches itself
 * through real_parent). */
#include "kernel/btf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "support/arena.h"
#include "program/types.h"

#define BTF_MAX_MODULES 64
#define BTF_CACHE_BUCKETS 256
#define BTF_MAX_DEPTH 32

/* process-wide: index 0 is vmlinux, the others are modules (split BTF over vmlinux) */
static struct btf *g_btf[BTF_MAX_MODULES];
static char *g_btf_name[BTF_MAX_MODULES]; /* modules' names (vmlinux: NULL), for listing */
static uint32_t g_nbtf;
static bool g_modules_loaded;
static int g_load_err;
/* the events named by btf_trace_<event> typedefs, sorted by name (the first member, so that cmp_name
 * compares them); the names point into g_btf's strings, mod is the g_btf index that has the typedef */
struct tp_event {
	const char *name;
	uint32_t mod;
};
static struct tp_event *g_tp_events;
static size_t g_ntp_events;
static bool g_tp_indexed;

struct btf_cache_entry {
	uint32_t key;
	struct et_type *type;
	struct btf_cache_entry *next;
};

struct btf_types {
	struct arena *a;
	struct btf *fixed; /* a caller's BTF (tests), else NULL: the process-wide ones */
	struct btf_cache_entry *buckets[BTF_CACHE_BUCKETS];
};

const struct btf *btf_vmlinux(void)
{
	if (!g_nbtf && !g_load_err) {
		struct btf *b = btf__load_vmlinux_btf();

		if (!b)
			g_load_err = errno ? -errno : -ENOENT;
		else
			g_btf[g_nbtf++] = b;
	}
	if (!g_nbtf) {
		errno = -g_load_err;
		return NULL;
	}
	return g_btf[0];
}

static void load_modules(void)
{
	DIR *d;
	struct dirent *e;

	if (g_modules_loaded || !btf_vmlinux())
		return;
	g_modules_loaded = true;
	d = opendir("/sys/kernel/btf");
	if (!d)
		return;
	while ((e = readdir(d)) && g_nbtf < BTF_MAX_MODULES) {
		struct btf *m;

		if (e->d_name[0] == '.' || strcmp(e->d_name, "vmlinux") == 0)
			continue;
		m = btf__load_module_btf(e->d_name, g_btf[0]);
		if (m) {
			g_btf_name[g_nbtf] = strdup(e->d_name);
			g_btf[g_nbtf++] = m;
		}
	}
	closedir(d);
}

uint32_t btf_object(uint32_t i, const struct btf **b, const char **name)
{
	load_modules();
	if (i >= g_nbtf)
		return 0;
	*b = g_btf[i];
	*name = i == 0 ? "vmlinux" : g_btf_name[i] ? g_btf_name[i] : "?";
	return g_nbtf;
}

/* BPF programs' BTF (fentry:bpf:ID:FUNC), by program id; few per run */
#define BTF_MAX_PROGS 64
static struct btf *g_prog_btf[BTF_MAX_PROGS];
static uint32_t g_prog_id[BTF_MAX_PROGS], g_nprog;

static int prog_info(uint32_t id, struct bpf_prog_info *info, struct bpf_func_info *fi, uint32_t nfi)
{
	uint32_t len = sizeof(*info);
	int fd = bpf_prog_get_fd_by_id(id), err;

	if (fd < 0)
		return -errno;
	memset(info, 0, sizeof(*info));
	if (fi) {
		info->nr_func_info = nfi;
		info->func_info_rec_size = sizeof(*fi);
		info->func_info = (uint64_t)(uintptr_t)fi;
	}
	err = bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
	close(fd);
	return err;
}

const struct btf *btf_bpf_prog(uint32_t id)
{
	struct bpf_prog_info info;
	struct btf *b;
	int err;

	for (uint32_t i = 0; i < g_nprog; i++)
		if (g_prog_id[i] == id)
			return g_prog_btf[i];
	err = prog_info(id, &info, NULL, 0);
	if (err || !info.btf_id) {
		errno = err ? -err : ENOENT;
		return NULL;
	}
	b = btf__load_from_kernel_by_id(info.btf_id);
	if (!b)
		return NULL;
	if (g_nprog == BTF_MAX_PROGS) {
		btf__free(b);
		errno = ENOSPC;
		return NULL;
	}
	g_prog_id[g_nprog] = id;
	g_prog_btf[g_nprog++] = b;
	return b;
}

uint32_t btf_bpf_prog_funcs(uint32_t id, const char **names, uint32_t max)
{
	struct bpf_func_info fi[64];
	struct bpf_prog_info info;
	const struct btf *b = btf_bpf_prog(id);
	uint32_t n = 0;

	if (!b || prog_info(id, &info, fi, 64))
		return 0;
	for (uint32_t i = 0; i < info.nr_func_info && i < 64 && n < max; i++) {
		const struct btf_type *t = btf__type_by_id(b, fi[i].type_id);

		if (t && btf_is_func(t))
			names[n++] = btf__name_by_offset(b, t->name_off);
	}
	return n;
}

void btf_unload(void)
{
	for (uint32_t i = 0; i < g_nprog; i++)
		btf__free(g_prog_btf[i]);
	g_nprog = 0;
	free(g_tp_events);
	g_tp_events = NULL;
	g_ntp_events = 0;
	g_tp_indexed = false;
	for (uint32_t i = g_nbtf; i-- > 0;) {
		btf__free(g_btf[i]);
		free(g_btf_name[i]);
		g_btf_name[i] = NULL;
	}
	g_nbtf = 0;
	g_modules_loaded = false;
	g_load_err = 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void index_tracepoint_types(void)
{
	static const char prefix[] = "btf_trace_";
	size_t cap = 0;

	g_tp_indexed = true;
	if (!btf_vmlinux())
		return;
	load_modules();
	for (uint32_t m = 0; m < g_nbtf; m++) {
		/* a module's split BTF numbers its own types after vmlinux's */
		uint32_t first = m ? btf__type_cnt(g_btf[0]) : 1, n = btf__type_cnt(g_btf[m]);

		for (uint32_t id = first; id < n; id++) {
			const struct btf_type *t = btf__type_by_id(g_btf[m], id);
			const char *name = t && btf_is_typedef(t) ? btf__name_by_offset(g_btf[m], t->name_off) : NULL;

			if (!name || strncmp(name, prefix, sizeof(prefix) - 1) != 0)
				continue;
			if (g_ntp_events == cap) {
				struct tp_event *grown = realloc(g_tp_events, (cap = cap ? cap * 2 : 1024) * sizeof(*grown));

				if (!grown)
					return; /* keep what was indexed: a missing name only means raw_tp */
				g_tp_events = grown;
			}
			g_tp_events[g_ntp_events++] = (struct tp_event){name + sizeof(prefix) - 1, m};
		}
	}
	qsort(g_tp_events, g_ntp_events, sizeof(*g_tp_events), cmp_name);
}

bool btf_has_tracepoint_type(const char *event)
{
	if (!event)
		return false;
	if (!g_tp_indexed)
		index_tracepoint_types();
	return g_ntp_events && bsearch(&event, g_tp_events, g_ntp_events, sizeof(*g_tp_events), cmp_name);
}

const char *btf_tracepoint_module(const char *event)
{
	const struct tp_event *e;

	if (!event)
		return NULL;
	if (!g_tp_indexed)
		index_tracepoint_types();
	e = g_ntp_events ? bsearch(&event, g_tp_events, g_ntp_events, sizeof(*g_tp_events), cmp_name) : NULL;
	if (!e)
		return NULL;
	return e->mod == 0 ? "vmlinux" : g_btf_name[e->mod] ? g_btf_name[e->mod] : NULL;
}

bool btf_has_enumerator(const char *enum_name, const char *name)
{
	const struct btf *b = btf_vmlinux();
	int id = b ? btf__find_by_name_kind(b, enum_name, BTF_KIND_ENUM) : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(b, (uint32_t)id) : NULL;

	for (uint16_t i = 0; t && i < btf_vlen(t); i++)
		if (strcmp(btf__name_by_offset(b, btf_enum(t)[i].name_off), name) == 0)
			return true;
	return false;
}

int64_t btf_member_offset(const char *struct_name, const char *member)
{
	const struct btf *b = btf_vmlinux();
	int id = b ? btf__find_by_name_kind(b, struct_name, BTF_KIND_STRUCT) : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(b, (uint32_t)id) : NULL;

	for (uint16_t i = 0; t && i < btf_vlen(t); i++)
		if (strcmp(btf__name_by_offset(b, btf_members(t)[i].name_off), member) == 0)
			return btf_member_bitfield_size(t, i) ? -1 : (int64_t)(btf_member_bit_offset(t, i) / 8);
	return -1;
}

bool btf_has_func(const char *name)
{
	const struct btf *b = btf_vmlinux();

	return b && btf__find_by_name_kind(b, name, BTF_KIND_FUNC) > 0;
}

struct btf_types *btf_types_new(struct arena *a)
{
	struct btf_types *bt = arena_alloc(a, sizeof(*bt));

	memset(bt, 0, sizeof(*bt));
	bt->a = a;
	return bt;
}

struct btf_types *btf_types_new_from(struct arena *a, struct btf *b)
{
	struct btf_types *bt = btf_types_new(a);

	bt->fixed = b;
	return bt;
}

static struct btf *btf_of(struct btf_types *bt, uint32_t mod)
{
	if (bt->fixed)
		return mod == 0 ? bt->fixed : NULL;
	if (mod == 0)
		return (struct btf *)btf_vmlinux();
	return mod < g_nbtf ? g_btf[mod] : NULL;
}

int btf_available(struct btf_types *bt)
{
	return btf_of(bt, 0) ? 0 : -errno;
}

/* ---- conversion ---- */

static struct et_type *convert(struct btf_types *bt, uint32_t mod, uint32_t id, int depth);

/* Skip typedefs and qualifiers; *user is set when a `user` type tag is crossed. */
static uint32_t skip_mods(const struct btf *b, uint32_t id, bool *user, const char **typedef_name)
{
	for (int i = 0; i < 64 && id; i++) {
		const struct btf_type *t = btf__type_by_id(b, id);

		if (!t)
			return 0;
		switch (btf_kind(t)) {
		case BTF_KIND_TYPEDEF:
			if (typedef_name && !*typedef_name)
				*typedef_name = btf__name_by_offset(b, t->name_off);
			id = t->type;
			break;
		case BTF_KIND_TYPE_TAG:
			if (user && strcmp(btf__name_by_offset(b, t->name_off), "user") == 0)
				*user = true;
			id = t->type;
			break;
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_DECL_TAG:
			id = t->type;
			break;
		default:
			return id;
		}
	}
	return id;
}

/* Is type tag `tag` among the typedefs, qualifiers and tags in front of type id? */
static bool has_type_tag(const struct btf *b, uint32_t id, const char *tag)
{
	for (int i = 0; i < 64 && id; i++) {
		const struct btf_type *t = btf__type_by_id(b, id);

		if (!t || !(btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t) || btf_is_decl_tag(t)))
			return false;
		if (btf_is_type_tag(t) && strcmp(btf__name_by_offset(b, t->name_off), tag) == 0)
			return true;
		id = t->type;
	}
	return false;
}

static const char *struct_name(struct btf_types *bt, const struct btf *b, const struct btf_type *t)
{
	const char *n = btf__name_by_offset(b, t->name_off);
	const char *kw = btf_is_union(t) ? "union " : "struct ";
	size_t kl = strlen(kw), nl = n ? strlen(n) : 0;
	char *s = arena_alloc(bt->a, kl + nl + 1);

	memcpy(s, kw, kl);
	if (nl)
		memcpy(s + kl, n, nl);
	s[kl + nl] = 0;
	return s;
}

static struct et_type *stub(struct btf_types *bt, uint32_t mod, uint32_t id, const struct btf_type *t)
{
	struct et_type *s = type_new(bt->a, ET_STRUCT, t->size);

	s->name = struct_name(bt, btf_of(bt, mod), t);
	s->btf_id = (mod << 24) | id;
	return s;
}

static struct et_type **cache_slot(struct btf_types *bt, uint32_t key)
{
	struct btf_cache_entry *e;

	for (e = bt->buckets[key % BTF_CACHE_BUCKETS]; e; e = e->next)
		if (e->key == key)
			return &e->type;
	e = arena_alloc(bt->a, sizeof(*e));
	e->key = key;
	e->type = NULL;
	e->next = bt->buckets[key % BTF_CACHE_BUCKETS];
	bt->buckets[key % BTF_CACHE_BUCKETS] = e;
	return &e->type;
}

struct member_list {
	struct et_field *f;
	uint32_t n, cap;
};

static void member_push(struct btf_types *bt, struct member_list *l, struct et_field f)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 16;

		l->f = arena_grow(bt->a, l->f, l->cap, cap, sizeof(*l->f));
		l->cap = cap;
	}
	l->f[l->n++] = f;
}

/* Append the members of struct/union `t` at byte offset `base` (anonymous members flattened). */
static void add_members(struct btf_types *bt, uint32_t mod, const struct btf_type *t, uint32_t base_bits,
			struct member_list *l, int depth)
{
	const struct btf *b = btf_of(bt, mod);
	const struct btf_member *m = btf_members(t);
	uint16_t vlen = btf_vlen(t);

	for (uint16_t i = 0; i < vlen; i++, m++) {
		const char *name = btf__name_by_offset(b, m->name_off);
		uint32_t bits = base_bits + btf_member_bit_offset(t, i);
		uint32_t bsize = btf_member_bitfield_size(t, i);
		struct et_field f = {0};

		if (!name || !*name) {
			uint32_t id = skip_mods(b, m->type, NULL, NULL);
			const struct btf_type *mt = btf__type_by_id(b, id);

			if (mt && btf_is_composite(mt) && depth < BTF_MAX_DEPTH)
				add_members(bt, mod, mt, bits, l, depth + 1);
			continue;
		}
		f.name = name;
		f.type = convert(bt, mod, m->type, depth + 1);
		if (!f.type)
			continue;
		type_field_place(&f, bits, bsize);
		member_push(bt, l, f);
	}
}

static struct et_type *complete_id(struct btf_types *bt, uint32_t mod, uint32_t id, int depth)
{
	const struct btf *b = btf_of(bt, mod);
	const struct btf_type *t = b ? btf__type_by_id(b, id) : NULL;
	struct et_type **slot, *s;
	struct member_list l = {0};

	if (!t || !btf_is_composite(t)) {
		errno = ENOENT;
		return NULL;
	}
	slot = cache_slot(bt, (mod << 24) | id);
	if (*slot)
		return *slot;
	s = stub(bt, mod, id, t);
	*slot = s; /* an embedded member of the same type cannot exist; guards against broken BTF */
	add_members(bt, mod, t, 0, &l, depth);
	s->fields = l.f;
	s->nfields = l.n;
	return s;
}

static struct et_type *convert(struct btf_types *bt, uint32_t mod, uint32_t id, int depth)
{
	const struct btf *b = btf_of(bt, mod);
	const char *tdname = NULL;
	const struct btf_type *t;
	struct et_type *r;

	if (depth > BTF_MAX_DEPTH) {
		errno = ELOOP;
		return NULL;
	}
	id = skip_mods(b, id, NULL, &tdname);
	if (!id)
		return type_new(bt->a, ET_VOID, 0);
	t = btf__type_by_id(b, id);
	if (!t) {
		errno = ENOENT;
		return NULL;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT: {
		uint32_t enc = btf_int_encoding(t);

		if (enc & BTF_INT_BOOL)
			return type_new(bt->a, ET_BOOL, 1);
		if (t->size > 8) {
			r = type_new(bt->a, ET_ARRAY, t->size);
			r->elem = type_int(bt->a, 1, false);
			r->count = t->size;
			return r;
		}
		r = type_int(bt->a, t->size, (enc & BTF_INT_SIGNED) != 0);
		r->name = tdname ? tdname : btf__name_by_offset(b, t->name_off);
		return r;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		const char *n = btf__name_by_offset(b, t->name_off);
		size_t nl = n ? strlen(n) : 0;
		char *s = arena_alloc(bt->a, nl + 6);

		memcpy(s, "enum ", 5);
		if (nl)
			memcpy(s + 5, n, nl);
		s[5 + nl] = 0;
		r = type_int(bt->a, t->size, btf_kflag(t));
		r->name = s;
		/* the enumerators, for printing by name (types.h: ET_INT fields of an enum) */
		r->nfields = btf_vlen(t);
		r->fields = arena_alloc(bt->a, (r->nfields + 1) * sizeof(*r->fields));
		for (uint32_t i = 0; i < r->nfields; i++) {
			uint64_t v;

			if (btf_is_enum(t)) {
				const struct btf_enum *e = btf_enum(t) + i;

				r->fields[i].name = btf__name_by_offset(b, e->name_off);
				v = btf_kflag(t) ? (uint64_t)(int64_t)e->val : (uint32_t)e->val;
			} else {
				const struct btf_enum64 *e = btf_enum64(t) + i;

				r->fields[i].name = btf__name_by_offset(b, e->name_off);
				v = btf_enum64_value(e);
			}
			r->fields[i].offset = (uint32_t)v;
			r->fields[i].bit_offset = (uint32_t)(v >> 32);
		}
		return r;
	}
	case BTF_KIND_FLOAT:
		r = type_int(bt->a, t->size, true);
		r->name = btf__name_by_offset(b, t->name_off);
		return r;
	case BTF_KIND_PTR: {
		bool user = false;
		uint32_t to = skip_mods(b, t->type, &user, NULL);
		const struct btf_type *pt = to ? btf__type_by_id(b, to) : NULL;

		r = type_new(bt->a, ET_POINTER, 8);
		r->space = user ? ET_AS_USER : ET_AS_KERNEL;
		r->btf_id = (mod << 24) | id;
		if (!pt || btf_is_func_proto(pt) || btf_is_func(pt))
			r->elem = NULL;
		else if (btf_is_composite(pt))
			r->elem = stub(bt, mod, to, pt);
		else /* from the pointee as written: its typedef name is kept (loff_t *) */
			r->elem = convert(bt, mod, t->type, depth + 1);
		if (r->elem && r->elem->kind == ET_VOID)
			r->elem = NULL;
		/* char * without a `user` tag: kernels built with GCC carry no tags, and such arguments are
		 * often user strings (filename of do_sys_openat2): no btf_id and no address space, so reads
		 * try kernel memory and then user memory (codegen's unknown address space). A member of a
		 * struct read from kernel memory becomes kernel again (sema: the field's origin). */
		if (!user && r->elem && r->elem->kind == ET_INT && r->elem->size == 1) {
			r->btf_id = 0;
			r->space = ET_AS_NONE;
		}
		/* a per-CPU pointer (`__percpu`, tagged by clang-built kernels) is an offset, not an address:
		 * no btf_id, so codegen never reads through it directly */
		if (has_type_tag(b, t->type, "percpu"))
			r->btf_id = 0;
		return r;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *arr = btf_array(t);
		struct et_type *el = convert(bt, mod, arr->type, depth + 1);

		if (!el)
			return NULL;
		/* as in bpftrace: BTF does not tell a char array from a byte array, so every array of
		 * 1-byte integers (char, __u8, ...; not enums) is a string; (uint8[])s gives the bytes */
		if (el->kind == ET_INT && el->size == 1 && !el->nfields && arr->nelems)
			return type_string(bt->a, arr->nelems);
		r = type_new(bt->a, ET_ARRAY, el->size * arr->nelems);
		r->elem = el;
		r->count = arr->nelems;
		return r;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return complete_id(bt, mod, id, depth + 1);
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_FUNC:
		r = type_new(bt->a, ET_POINTER, 8); /* a function: only its address is useful */
		return r;
	default:
		r = type_int(bt->a, t->size ? t->size : 8, false);
		return r;
	}
}

/* ---- lookups ---- */

/* Find `name` of `kind` in vmlinux, then in the modules. 0 when absent. */
static uint32_t find(struct btf_types *bt, const char *name, int kind, uint32_t *mod)
{
	struct btf *b = btf_of(bt, 0);
	int id;

	if (!b)
		return 0;
	id = btf__find_by_name_kind(b, name, kind);
	if (id > 0) {
		*mod = 0;
		return (uint32_t)id;
	}
	if (bt->fixed)
		return 0;
	load_modules();
	for (uint32_t m = 1; m < g_nbtf; m++) {
		id = btf__find_by_name_kind(g_btf[m], name, kind);
		if (id > 0) {
			*mod = m;
			return (uint32_t)id;
		}
	}
	return 0;
}

struct et_type *btf_struct_stub(struct arena *a, const char *name)
{
	struct btf_types *bt = btf_types_new(a);
	bool is_union = strncmp(name, "union ", 6) == 0;
	uint32_t mod = 0, id;

	if (!is_union && strncmp(name, "struct ", 7) != 0) {
		errno = EINVAL;
		return NULL;
	}
	if (btf_available(bt) != 0)
		return NULL;
	id = find(bt, name + (is_union ? 6 : 7), is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT, &mod);
	if (!id) {
		errno = ENOENT;
		return NULL;
	}
	return stub(bt, mod, id, btf__type_by_id(btf_of(bt, mod), id));
}

struct et_type *btf_enumerator(struct btf_types *bt, const char *name, int64_t *value)
{
	const struct btf *b = btf_of(bt, 0);
	uint32_t n = b ? btf__type_cnt(b) : 0;

	/* a linear scan, done only for identifiers that are nothing else (no index kept) */
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);

		if (!t || !btf_is_enum(t))
			continue;
		for (uint16_t i = 0; i < btf_vlen(t); i++) {
			const struct btf_enum *e = btf_enum(t) + i;

			if (strcmp(btf__name_by_offset(b, e->name_off), name) == 0) {
				*value = btf_kflag(t) ? (int64_t)e->val : (int64_t)(uint32_t)e->val;
				return convert(bt, 0, id, 0);
			}
		}
	}
	errno = ENOENT;
	return NULL;
}

struct et_type *btf_type_by_name(struct btf_types *bt, const char *name)
{
	static const struct { const char *kw; int kind; } kws[] = {
		{"struct ", BTF_KIND_STRUCT}, {"union ", BTF_KIND_UNION}, {"enum ", BTF_KIND_ENUM},
	};
	uint32_t mod = 0, id = 0;

	if (!name || btf_available(bt) != 0)
		return NULL;
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
		size_t kl = strlen(kws[i].kw);

		if (strncmp(name, kws[i].kw, kl) == 0) {
			id = find(bt, name + kl, kws[i].kind, &mod);
			if (!id && kws[i].kind == BTF_KIND_ENUM)
				id = find(bt, name + kl, BTF_KIND_ENUM64, &mod);
			if (!id) {
				errno = ENOENT;
				return NULL;
			}
			return convert(bt, mod, id, 0);
		}
	}
	id = find(bt, name, BTF_KIND_TYPEDEF, &mod);
	if (!id)
		id = find(bt, name, BTF_KIND_INT, &mod);
	if (!id) {
		errno = ENOENT;
		return NULL;
	}
	return convert(bt, mod, id, 0);
}

struct et_type *btf_complete(struct btf_types *bt, struct et_type *t)
{
	if (!t || t->kind != ET_STRUCT || t->nfields || !t->btf_id)
		return t;
	return complete_id(bt, t->btf_id >> 24, t->btf_id & 0xffffff, 0);
}

struct et_type *btf_struct_ptr(struct btf_types *bt, const char *name)
{
	uint32_t mod = 0, id;
	const struct btf_type *t;
	struct et_type *p;

	if (btf_available(bt) != 0)
		return NULL;
	id = find(bt, name, BTF_KIND_STRUCT, &mod);
	if (!id) {
		errno = ENOENT;
		return NULL;
	}
	t = btf__type_by_id(btf_of(bt, mod), id);
	p = type_new(bt->a, ET_POINTER, 8);
	p->elem = stub(bt, mod, id, t);
	p->btf_id = p->elem->btf_id;
	p->space = ET_AS_KERNEL;
	return p;
}

struct et_type *btf_task_ptr(struct btf_types *bt)
{
	return btf_struct_ptr(bt, "task_struct");
}

bool btf_has_struct(const char *name)
{
	const struct btf *b = btf_vmlinux();

	return b && btf__find_by_name_kind(b, name, BTF_KIND_STRUCT) > 0;
}

uint32_t btf_struct_names(const char *prefix, const char ***names)
{
	const struct btf *b = btf_vmlinux();
	size_t plen = strlen(prefix);
	uint32_t n = 0, cap = 0, count = b ? btf__type_cnt(b) : 0;
	const char **out = NULL;

	for (uint32_t id = 1; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const char *nm = t && btf_is_struct(t) ? btf__name_by_offset(b, t->name_off) : NULL;

		if (!nm || strncmp(nm, prefix, plen) != 0)
			continue;
		if (n == cap) {
			const char **grown = realloc(out, (cap = cap ? cap * 2 : 16) * sizeof(*out));

			if (!grown)
				break;
			out = grown;
		}
		out[n++] = nm;
	}
	*names = out;
	return n;
}

/* The parameters of FUNC_PROTO `proto` from index `skip` on, as the args struct. */
static struct et_type *params_struct(struct btf_types *bt, uint32_t mod, const struct btf_type *proto,
				     uint32_t skip, uint32_t *nparams)
{
	const struct btf *b = btf_of(bt, mod);
	const struct btf_param *p = btf_params(proto);
	uint16_t vlen = btf_vlen(proto);
	struct et_type *s = type_new(bt->a, ET_STRUCT, 0);
	uint32_t n = 0;

	s->name = "args";
	s->fields = arena_alloc(bt->a, (vlen + 1) * sizeof(*s->fields));
	for (uint16_t i = skip; i < vlen; i++) {
		struct et_field *f = &s->fields[n];
		const char *name = btf__name_by_offset(b, p[i].name_off);
		char tmp[16];

		if (!p[i].type && i == vlen - 1)
			break; /* varargs */
		memset(f, 0, sizeof(*f));
		if (!name || !*name) {
			snprintf(tmp, sizeof(tmp), "arg%u", n);
			name = arena_strdup(bt->a, tmp);
		}
		f->name = name;
		f->type = convert(bt, mod, p[i].type, 1);
		if (!f->type || f->type->size > 8 || f->type->kind == ET_STRUCT || f->type->kind == ET_STRING ||
		    f->type->kind == ET_ARRAY)
			f->type = type_int(bt->a, 8, false); /* by-value aggregates: their raw slot */
		f->offset = n * 8;
		n++;
	}
	s->nfields = n;
	s->size = n * 8;
	*nparams = n;
	return s;
}

int btf_func_proto(struct btf_types *bt, const char *func, struct et_type **args, struct et_type **ret,
		   uint32_t *nparams)
{
	uint32_t mod = 0, id;
	const struct btf *b;
	const struct btf_type *fn, *proto;

	if (btf_available(bt) != 0)
		return -errno;
	id = find(bt, func, BTF_KIND_FUNC, &mod);
	if (!id)
		return -ENOENT;
	b = btf_of(bt, mod);
	fn = btf__type_by_id(b, id);
	proto = fn ? btf__type_by_id(b, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto))
		return -ENOENT;
	*args = params_struct(bt, mod, proto, 0, nparams);
	if (ret) {
		*ret = proto->type ? convert(bt, mod, proto->type, 1) : NULL;
		if (*ret && ((*ret)->kind == ET_VOID || (*ret)->size > 8 || (*ret)->kind == ET_STRUCT))
			*ret = (*ret)->kind == ET_VOID ? NULL : type_int(bt->a, 8, false);
	}
	return 0;
}

int btf_tracepoint_proto(struct btf_types *bt, const char *name, struct et_type **args, uint32_t *nparams)
{
	char tname[256];
	uint32_t mod = 0, id;
	const struct btf *b;
	const struct btf_type *t;

	if (btf_available(bt) != 0)
		return -errno;
	/* __bpf_trace_<name>(void *__data, ...) names its parameters; the btf_trace_<name> typedef does not */
	snprintf(tname, sizeof(tname), "__bpf_trace_%s", name);
	id = find(bt, tname, BTF_KIND_FUNC, &mod);
	if (id) {
		b = btf_of(bt, mod);
		t = btf__type_by_id(b, id);
		t = t ? btf__type_by_id(b, t->type) : NULL;
	} else {
		snprintf(tname, sizeof(tname), "btf_trace_%s", name);
		id = find(bt, tname, BTF_KIND_TYPEDEF, &mod);
		if (!id)
			return -ENOENT;
		b = btf_of(bt, mod);
		t = btf__type_by_id(b, id);
		t = t ? btf__type_by_id(b, t->type) : NULL; /* pointer */
		t = t && btf_is_ptr(t) ? btf__type_by_id(b, t->type) : NULL;
	}
	if (!t || !btf_is_func_proto(t))
		return -ENOENT;
	*args = params_struct(bt, mod, t, 1, nparams);
	return 0;
}
