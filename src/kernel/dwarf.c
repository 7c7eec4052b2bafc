/* dwarf: function parameters from a binary's DWARF, see dwarf.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* types.h before libdw: libelf's <elf.h> defines ET_NONE as 0 (an ELF file type), which then stands for
 * etrace's ET_NONE (also 0) in this file */
#include "support/arena.h"
#include "program/types.h"
#include "kernel/dwarf.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>

/* An open binary and its DWARF: libdwfl reports the file "offline" (not as a process's mapping) and
 * finds its debug info the way gdb and eu-* tools do: the file's own sections, else a separate file by
 * build-id (/usr/lib/debug/.build-id/xx/rest.debug) or by .gnu_debuglink (beside the file, in its .debug/
 * folder, or under /usr/lib/debug/DIR), and a dwz .gnu_debugaltlink; compressed sections (SHF_COMPRESSED,
 * .zdebug) are inflated by libdw. bias is what to subtract from a DWARF address for the file's own
 * virtual address (0 unless libdwfl placed the module elsewhere). */
struct dw_file {
	Dwfl *dwfl;
	Dwarf *dw;
	Dwarf_Addr bias;
};

/* NULL: elfutils' default search path, ":.debug:/usr/lib/debug"; --debuginfo DIRs come before it */
static char *debuginfo_path;

void dwinfo_set_search_path(const char *dirs)
{
	static char buf[8192];

	/* elfutils' syntax is bpftrace's: DIR relative to the binary's folder unless absolute, a leading +
	 * to check the CRC, an empty DIR the binary's own folder; then the default path as bpftrace appends
	 * it (":.debug:/usr/lib/debug", whose empty first entry keeps a debug file beside the binary found) */
	if (snprintf(buf, sizeof(buf), "%s::.debug:/usr/lib/debug", dirs) < (int)sizeof(buf))
		debuginfo_path = buf;
}

static const Dwfl_Callbacks offline_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

static bool is_elf_file(const char *path, int *err)
{
	char magic[4] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool elf;

	if (fd < 0) {
		*err = -errno;
		return false;
	}
	elf = pread(fd, magic, 4, 0) == 4 && memcmp(magic, "\177ELF", 4) == 0;
	close(fd);
	*err = elf ? 0 : -ENOEXEC;
	return elf;
}

static int dw_open(const char *path, struct dw_file *f)
{
	Dwfl_Module *mod;
	const char *alt_name;
	const void *alt_id;
	int err;

	f->dw = NULL;
	f->bias = 0;
	if (!is_elf_file(path, &err))
		return err;
	f->dwfl = dwfl_begin(&offline_callbacks);
	if (!f->dwfl)
		return -ENOMEM;
	mod = dwfl_report_offline(f->dwfl, path, path, -1);
	dwfl_report_end(f->dwfl, NULL, NULL);
	if (mod)
		f->dw = dwfl_module_getdwarf(mod, &f->bias);
	/* DWARF whose types live partly in a dwz file (.gnu_debugaltlink) that is not installed: as
	 * bpftrace, none rather than half */
	if (f->dw && dwelf_dwarf_gnu_debugaltlink(f->dw, &alt_name, &alt_id) > 0 && !dwarf_getalt(f->dw))
		f->dw = NULL;
	if (!f->dw) { /* an ELF file with no (usable) DWARF, here or in a separate file */
		dwfl_end(f->dwfl);
		return -ENODATA;
	}
	return 0;
}

static void dw_close(struct dw_file *f)
{
	dwfl_end(f->dwfl);
}

struct func_find {
	const char *name;
	Dwarf_Die die;
	bool found;
};

static int func_cb(Dwarf_Die *die, void *arg)
{
	struct func_find *ff = arg;
	const char *n = dwarf_diename(die);
	Dwarf_Attribute attr;
	const char *ln = NULL;

	/* C++: the probe names the symbol, the mangled DW_AT_linkage_name (of the declaration that the
	 * definition's DW_AT_specification points to) */
	if ((!n || strcmp(n, ff->name) != 0) && (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
						  dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr)))
		ln = dwarf_formstring(&attr);
	if (ln && strcmp(ln, ff->name) == 0)
		n = ln;

	/* a declaration or an inlined-only copy has no code to attach to; the definition has low_pc */
	if (n && strcmp(n, ff->name) == 0 && dwarf_hasattr_integrate(die, DW_AT_low_pc)) {
		ff->die = *die;
		ff->found = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

/* The DIE of the definition of function `name`: -ENOENT when the file's DWARF has none, -ENODATA
 * when it has no compilation unit at all. */
static int find_func(Dwarf *dw, const char *name, Dwarf_Die *out)
{
	struct func_find ff = {.name = name};
	Dwarf_Off off = 0, next;
	size_t hsize;
	bool any = false;

	while (!ff.found && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu)) {
			any = true;
			dwarf_getfuncs(&cu, func_cb, &ff, 0);
		}
		off = next;
	}
	if (!any)
		return -ENODATA;
	if (!ff.found)
		return -ENOENT;
	*out = ff.die;
	return 0;
}

static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute attr;

	return dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, out);
}

static uint64_t udata(Dwarf_Die *die, unsigned name, uint64_t dflt)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;

	if (!dwarf_attr_integrate(die, name, &attr) || dwarf_formudata(&attr, &w) != 0)
		return dflt;
	return w;
}

static struct et_type *convert(struct arena *a, Dwarf_Die *die, int depth);

/* The named members of a struct or union (anonymous members flattened, as btf.c does). */
static void add_members(struct arena *a, Dwarf_Die *die, uint32_t base_bits, struct et_type *s, uint32_t *cap,
			int depth)
{
	Dwarf_Die m;

	if (dwarf_child(die, &m) != 0)
		return;
	do {
		const char *name;
		Dwarf_Die mt;
		uint32_t bits, bsize;
		struct et_field f = {0};

		if (dwarf_tag(&m) != DW_TAG_member || !type_of(&m, &mt))
			continue;
		name = dwarf_diename(&m);
		bsize = (uint32_t)udata(&m, DW_AT_bit_size, 0);
		if (dwarf_hasattr(&m, DW_AT_data_bit_offset)) {
			bits = base_bits + (uint32_t)udata(&m, DW_AT_data_bit_offset, 0);
		} else {
			bits = base_bits + 8 * (uint32_t)udata(&m, DW_AT_data_member_location, 0);
			if (bsize && dwarf_hasattr(&m, DW_AT_bit_offset)) { /* DWARF 2/3: from the unit's top bit */
				uint32_t unit = (uint32_t)udata(&m, DW_AT_byte_size, 0);
				Dwarf_Die pt;

				if (!unit && dwarf_peel_type(&mt, &pt) == 0)
					unit = (uint32_t)udata(&pt, DW_AT_byte_size, 4);
				bits += unit * 8 - (uint32_t)udata(&m, DW_AT_bit_offset, 0) - bsize;
			}
		}
		if (!name || !*name) {
			Dwarf_Die pt;
			int tag;

			if (dwarf_peel_type(&mt, &pt) != 0)
				continue;
			tag = dwarf_tag(&pt);
			if ((tag == DW_TAG_structure_type || tag == DW_TAG_union_type) && depth < 16)
				add_members(a, &pt, bits, s, cap, depth + 1);
			continue;
		}
		f.name = arena_strdup(a, name);
		f.type = convert(a, &mt, depth);
		if (!f.type)
			continue;
		type_field_place(&f, bits, bsize);
		if (s->nfields == *cap) {
			struct et_field *nf = arena_alloc(a, (*cap * 2 + 8) * sizeof(*nf));

			if (s->nfields)
				memcpy(nf, s->fields, s->nfields * sizeof(*nf));
			s->fields = nf;
			*cap = *cap * 2 + 8;
		}
		s->fields[s->nfields++] = f;
	} while (dwarf_siblingof(&m, &m) == 0);
}

/* An etrace type for DWARF type `die`; NULL for what etrace cannot represent (floats, functions).
 * depth counts the pointers followed: a struct behind more than DWINFO_MAX_DEPTH of them is left out
 * (the pointer becomes untyped), which also ends self-referencing structs. */
static struct et_type *convert(struct arena *a, Dwarf_Die *die, int depth)
{
	Dwarf_Die t, inner;
	struct et_type *r;
	int tag;

	if (dwarf_peel_type(die, &t) != 0)
		return NULL;
	tag = dwarf_tag(&t);
	switch (tag) {
	case DW_TAG_base_type: {
		uint64_t enc = udata(&t, DW_AT_encoding, 0), size = udata(&t, DW_AT_byte_size, 0);

		if (size != 1 && size != 2 && size != 4 && size != 8)
			return NULL;
		switch (enc) {
		case DW_ATE_boolean:
		case DW_ATE_unsigned:
		case DW_ATE_unsigned_char:
			r = type_int(a, (uint32_t)size, false);
			break;
		case DW_ATE_signed:
		case DW_ATE_signed_char:
			r = type_int(a, (uint32_t)size, true);
			break;
		default:
			return NULL;
		}
		return r;
	}
	case DW_TAG_enumeration_type: { /* bpftrace: an unsigned integer of the enum's size */
		uint64_t size = udata(&t, DW_AT_byte_size, 4);

		return type_int(a, size == 1 || size == 2 || size == 8 ? (uint32_t)size : 4, false);
	}
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		r = type_new(a, ET_POINTER, 8);
		r->space = ET_AS_USER;
		if (depth < DWINFO_MAX_DEPTH && type_of(&t, &inner)) {
			r->elem = convert(a, &inner, depth + 1);
			if (r->elem && r->elem->kind == ET_VOID)
				r->elem = NULL;
		}
		return r;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type: {
		const char *n = dwarf_diename(&t);
		uint32_t cap = 0;

		r = type_new(a, ET_STRUCT, (uint32_t)udata(&t, DW_AT_byte_size, 0));
		r->name = arena_printf(a, "%s %s", tag == DW_TAG_union_type ? "union" : "struct",
				       n ? n : "<anonymous>");
		add_members(a, &t, 0, r, &cap, depth);
		return r;
	}
	case DW_TAG_array_type: {
		Dwarf_Die sub;
		struct et_type *el;
		uint64_t count = 0;

		if (!type_of(&t, &inner) || !(el = convert(a, &inner, depth)))
			return NULL;
		if (dwarf_child(&t, &sub) == 0 && dwarf_tag(&sub) == DW_TAG_subrange_type) {
			if (dwarf_hasattr(&sub, DW_AT_count))
				count = udata(&sub, DW_AT_count, 0);
			else if (dwarf_hasattr(&sub, DW_AT_upper_bound))
				count = udata(&sub, DW_AT_upper_bound, 0) + 1;
		}
		/* as btf.c and bpftrace: an array of 1-byte integers is a string */
		if (el->kind == ET_INT && el->size == 1 && count)
			return type_string(a, (uint32_t)count);
		r = type_new(a, ET_ARRAY, (uint32_t)(el->size * count));
		r->elem = el;
		r->count = (uint32_t)count;
		return r;
	}
	default:
		return NULL;
	}
}

/* ---- where a parameter is at the function's entry: the x86-64 System V calling convention ----
 * (psABI 3.2.3), the only one etrace runs on. An INTEGER scalar (integer, pointer, enum) takes the next
 * of the six argument registers, a float or double the next of eight SSE registers (which pt_regs does
 * not hold: such a parameter cannot be read). A struct or union of at most 16 bytes is cut into
 * eightbytes, each INTEGER when an integer lies in it, else SSE, and takes registers of both kinds at
 * once; a larger one, one with a misaligned member or a long double in it is MEMORY: copied into the
 * caller's argument area on the stack above the return address. A parameter whose registers have run
 * out goes there too. Each takes the next 8-byte (16 for a 16-aligned type) boundary of that area, in
 * order (an over-aligned type is known by DWARF 5's DW_AT_alignment). A struct returned in memory takes
 * the first register for its hidden address. What etrace cannot classify for sure (vectors, complex
 * numbers, __float128, empty structs, C++ classes that may be passed by invisible reference) makes that
 * parameter and every later one unreadable rather than read from a wrong place. */

#define ABI_GPRS 6
#define ABI_SSES 8

enum abi_class { ABI_NO_CLASS, ABI_INTEGER, ABI_SSE };
/* abi_merge's verdict on a member */
enum abi_merged { ABI_FITS, ABI_IN_MEMORY, ABI_UNSURE };

struct abi_type {
	enum { ABI_UNKNOWN, ABI_MEMORY, ABI_REGS, ABI_BYREF } kind; /* BYREF: its address, one INTEGER */
	enum abi_class cls[2]; /* REGS: the class of each eightbyte */
	uint32_t n;            /* REGS: eightbytes */
	uint64_t size;         /* bytes */
	uint32_t align;        /* boundary in the argument area: 8 or 16 */
	const char *why;       /* UNKNOWN: what etrace cannot classify */
};

static bool is_cxx(Dwarf_Die *die)
{
	Dwarf_Die cu;
	int lang;

	if (!dwarf_diecu(die, &cu, NULL, NULL))
		return false;
	lang = dwarf_srclang(&cu);
	return lang == DW_LANG_C_plus_plus || lang == DW_LANG_C_plus_plus_03 || lang == DW_LANG_C_plus_plus_11 ||
	       lang == DW_LANG_C_plus_plus_14;
}

/* A C++ class that may be non-trivial for calls (passed by invisible reference): one that declares a
 * constructor or destructor, has a base or a vtable pointer. GCC does not say (no
 * DW_AT_calling_convention), so any of these counts. */
static bool cxx_maybe_nontrivial(Dwarf_Die *t)
{
	const char *cls = dwarf_diename(t);
	Dwarf_Die m;

	if (dwarf_child(t, &m) != 0)
		return false;
	do {
		const char *n = dwarf_diename(&m);
		int tag = dwarf_tag(&m);

		if (tag == DW_TAG_inheritance || (tag == DW_TAG_member && dwarf_hasattr(&m, DW_AT_artificial)))
			return true;
		if (tag == DW_TAG_subprogram && n && (n[0] == '~' || (cls && strcmp(n, cls) == 0)))
			return true;
	} while (dwarf_siblingof(&m, &m) == 0);
	return false;
}

/* Merge the classes of the scalars of type `die`, placed `off` bytes into the value being classified,
 * into cls[] (eightbyte off / 8); *align gets the largest alignment. */
static enum abi_merged abi_merge(Dwarf_Die *die, uint64_t off, enum abi_class cls[2], uint32_t *align,
				 int depth, const char **why)
{
	Dwarf_Die t, m, inner;
	uint64_t size;
	bool fp = false;
	int tag;

	if (depth > 16 || dwarf_peel_type(die, &t) != 0) {
		*why = "a type etrace cannot follow";
		return ABI_UNSURE;
	}
	tag = dwarf_tag(&t);
	size = udata(&t, DW_AT_byte_size, tag == DW_TAG_base_type ? 0 : 8);
	/* alignas / __attribute__((aligned)) on the type or on a typedef of it (DWARF 5's DW_AT_alignment) */
	if (udata(&t, DW_AT_alignment, 0) > *align)
		*align = (uint32_t)udata(&t, DW_AT_alignment, 0);
	if (udata(die, DW_AT_alignment, 0) > *align)
		*align = (uint32_t)udata(die, DW_AT_alignment, 0);
	switch (tag) {
	case DW_TAG_base_type: {
		uint64_t enc = udata(&t, DW_AT_encoding, 0);
		const char *n = dwarf_diename(&t);

		fp = enc == DW_ATE_float;
		if (fp && size == 16 && n && strcmp(n, "long double") == 0) {
			*align = 16;
			return ABI_IN_MEMORY; /* x87 */
		}
		if (enc == DW_ATE_complex_float || (fp && size != 4 && size != 8) ||
		    (size != 1 && size != 2 && size != 4 && size != 8 && size != 16)) {
			*why = "a complex, __float128 or unusual scalar";
			return ABI_UNSURE;
		}
		break;
	}
	case DW_TAG_enumeration_type:
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		if (size != 1 && size != 2 && size != 4 && size != 8) {
			*why = "an unusual scalar";
			return ABI_UNSURE;
		}
		break;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
		if (is_cxx(&t) && cxx_maybe_nontrivial(&t)) {
			*why = "a C++ class that may be passed by invisible reference";
			return ABI_UNSURE;
		}
		if (dwarf_child(&t, &m) != 0)
			return ABI_FITS;
		do {
			uint64_t bits, bsize;
			enum abi_merged r;

			if (dwarf_tag(&m) != DW_TAG_member || dwarf_hasattr(&m, DW_AT_external) || !type_of(&m, &inner))
				continue; /* a static member takes no room */
			if (udata(&m, DW_AT_alignment, 0) > *align) /* an over-aligned member */
				*align = (uint32_t)udata(&m, DW_AT_alignment, 0);
			bsize = udata(&m, DW_AT_bit_size, 0);
			if (bsize) { /* a bitfield: INTEGER in the eightbytes its bits touch (DWARF 2/3: its unit's) */
				if (dwarf_hasattr(&m, DW_AT_data_bit_offset))
					bits = 8 * off + udata(&m, DW_AT_data_bit_offset, 0);
				else
					bits = 8 * (off + udata(&m, DW_AT_data_member_location, 0));
				for (uint64_t b = bits / 64; b <= (bits + bsize - 1) / 64 && b < 2; b++)
					cls[b] = ABI_INTEGER;
				continue;
			}
			r = abi_merge(&inner, off + udata(&m, DW_AT_data_member_location, 0), cls, align, depth + 1,
				      why);
			if (r != ABI_FITS)
				return r;
		} while (dwarf_siblingof(&m, &m) == 0);
		return ABI_FITS;
	case DW_TAG_array_type: {
		Dwarf_Die el;
		uint64_t esize;

		if (dwarf_hasattr(&t, DW_AT_GNU_vector) || !type_of(&t, &inner) || dwarf_peel_type(&inner, &el) != 0) {
			*why = "a vector";
			return ABI_UNSURE;
		}
		esize = udata(&el, DW_AT_byte_size, dwarf_tag(&el) == DW_TAG_pointer_type ? 8 : 0);
		size = udata(&t, DW_AT_byte_size, 0);
		if (!size && dwarf_child(&t, &m) == 0 && dwarf_tag(&m) == DW_TAG_subrange_type) {
			if (dwarf_hasattr(&m, DW_AT_count))
				size = esize * udata(&m, DW_AT_count, 0);
			else if (dwarf_hasattr(&m, DW_AT_upper_bound))
				size = esize * (udata(&m, DW_AT_upper_bound, 0) + 1);
		}
		for (uint64_t o = 0; esize && o + esize <= size; o += esize) {
			enum abi_merged r = abi_merge(&inner, off + o, cls, align, depth + 1, why);

			if (r != ABI_FITS)
				return r;
		}
		return ABI_FITS; /* a flexible array member has no bytes */
	}
	default:
		*why = "a type etrace does not know";
		return ABI_UNSURE;
	}
	/* a scalar of `size` bytes: misaligned (packed) is MEMORY */
	if (off % size)
		return ABI_IN_MEMORY;
	for (uint64_t b = off / 8; b <= (off + size - 1) / 8 && b < 2; b++) /* INTEGER wins over SSE */
		if (!fp)
			cls[b] = ABI_INTEGER;
		else if (cls[b] == ABI_NO_CLASS)
			cls[b] = ABI_SSE;
	if (size > *align)
		*align = (uint32_t)size;
	return ABI_FITS;
}

/* How a value of DWARF type `die` is passed (and returned: the same classes). */
static struct abi_type abi_classify(Dwarf_Die *die)
{
	struct abi_type r = {.kind = ABI_UNKNOWN, .align = 8, .why = "a type etrace cannot follow"};
	Dwarf_Die t;
	uint32_t align = 1;
	int tag;

	if (dwarf_peel_type(die, &t) != 0)
		return r;
	tag = dwarf_tag(&t);
	r.size = udata(&t, DW_AT_byte_size, tag == DW_TAG_base_type ? 0 : 8);
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type) {
		uint64_t cc = udata(&t, DW_AT_calling_convention, 0);

		if (cc == DW_CC_pass_by_reference) {
			r.kind = ABI_BYREF;
			r.size = 8;
			return r;
		}
		if (!r.size) {
			r.why = "an empty struct";
			return r;
		}
	}
	switch (abi_merge(&t, 0, r.cls, &align, 0, &r.why)) {
	case ABI_UNSURE:
		return r;
	case ABI_IN_MEMORY:
		r.kind = ABI_MEMORY;
		break;
	case ABI_FITS:
		r.kind = r.size > 16 ? ABI_MEMORY : ABI_REGS;
		r.n = (uint32_t)(r.size + 7) / 8;
		/* a last eightbyte of padding only (an over-aligned struct) takes no register */
		if (r.kind == ABI_REGS && r.cls[0] == ABI_NO_CLASS) {
			r.kind = ABI_UNKNOWN;
			r.why = "a struct that starts with padding";
		}
		break;
	}
	r.align = align > 8 ? 16 : 8;
	return r;
}

/* The argument registers and stack still free while the parameters are placed in order. */
struct abi_place {
	uint32_t gprs, sses; /* registers taken */
	uint64_t stack;      /* bytes of the argument area taken */
	const char *lost;    /* set: a parameter could not be placed, nor can any after it */
};

/* Where parameter type `die` is: its first slot (etrace's uprobe numbering, see dwarf.h: register i is
 * slot i, the argument area's eightbyte k slot ABI_GPRS + k); -1 with *why when it cannot be read
 * (in SSE registers) or placed; *byref: its address is what travels. */
static int64_t abi_place_param(struct abi_place *p, Dwarf_Die *die, bool *byref, const char **why)
{
	struct abi_type c;
	uint32_t nint = 0, nsse = 0;

	*byref = false;
	if (p->lost) {
		*why = p->lost;
		return -1;
	}
	c = abi_classify(die);
	if (c.kind == ABI_UNKNOWN) {
		*why = c.why;
		p->lost = "it follows a parameter that etrace cannot place";
		return -1;
	}
	if (c.kind == ABI_BYREF) {
		*byref = true;
		c.kind = ABI_REGS;
		c.n = 1;
		c.cls[0] = ABI_INTEGER;
	}
	if (c.kind == ABI_REGS) {
		for (uint32_t i = 0; i < c.n; i++) {
			nsse += c.cls[i] == ABI_SSE;
			nint += c.cls[i] == ABI_INTEGER;
		}
		if (p->gprs + nint <= ABI_GPRS && p->sses + nsse <= ABI_SSES) {
			uint32_t first = p->gprs;

			p->gprs += nint;
			p->sses += nsse;
			if (nsse) {
				*why = "it is passed in SSE registers, which a uprobe cannot read";
				return -1;
			}
			return first;
		}
	}
	/* the argument area */
	p->stack = (p->stack + c.align - 1) / c.align * c.align;
	{
		int64_t slot = ABI_GPRS + (int64_t)(p->stack / 8);

		p->stack += (c.size + 7) / 8 * 8;
		return slot;
	}
}

int dwinfo_func_args(struct arena *a, const char *path, const char *func, struct et_type **args,
		     struct et_type **ret, uint32_t *nparams)
{
	struct dw_file f;
	struct abi_place place = {0};
	Dwarf_Die fn, p, rt;
	struct et_type *s;
	uint32_t n = 0, cap = 8;
	int err = dw_open(path, &f);

	if (err)
		return err;
	err = find_func(f.dw, func, &fn);
	if (err)
		goto out;
	s = type_new(a, ET_STRUCT, 0);
	s->name = "args";
	s->fields = arena_alloc(a, cap * sizeof(*s->fields));
	if (type_of(&fn, &rt)) { /* a struct returned in memory: its address is the hidden first argument */
		Dwarf_Die t;
		int tag = dwarf_peel_type(&rt, &t) == 0 ? dwarf_tag(&t) : DW_TAG_structure_type;

		if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type) {
			struct abi_type c = abi_classify(&rt);

			if (c.kind == ABI_UNKNOWN)
				place.lost = "etrace cannot tell how the function returns its value";
			else if (c.kind != ABI_REGS)
				place.gprs = 1;
		}
	}
	if (dwarf_child(&fn, &p) == 0) {
		do {
			struct et_field *fl;
			Dwarf_Die pt;
			const char *name, *why = NULL;
			bool byref = false;
			int64_t slot = -1;

			if (dwarf_tag(&p) != DW_TAG_formal_parameter)
				continue;
			if (n == cap) {
				struct et_field *nf = arena_alloc(a, cap * 2 * sizeof(*nf));

				memcpy(nf, s->fields, n * sizeof(*nf));
				s->fields = nf;
				cap *= 2;
			}
			fl = &s->fields[n++];
			name = dwarf_diename(&p);
			fl->name = name && *name ? arena_strdup(a, name) : arena_printf(a, "arg%u", n - 1);
			fl->type = NULL;
			if (type_of(&p, &pt)) {
				slot = abi_place_param(&place, &pt, &byref, &why);
				fl->type = slot < 0 ? NULL : convert(a, &pt, 0);
				if (fl->type && byref) {
					struct et_type *ptr = type_new(a, ET_POINTER, 8);

					ptr->space = ET_AS_USER;
					ptr->elem = fl->type;
					fl->type = ptr;
				}
			} else {
				why = "its type is unknown";
				place.lost = "it follows a parameter that etrace cannot place";
			}
			if (!fl->type) { /* not readable: an ET_NONE type that says why (sema reports it) */
				fl->type = type_new(a, ET_NONE, 0);
				fl->type->name =
				    why ? why : "etrace has no type for its value (a floating-point or 128-bit number)";
				fl->offset = 0;
				continue;
			}
			fl->offset = (uint32_t)slot * 8;
			if (fl->offset + (fl->type->size + 7) / 8 * 8 > s->size)
				s->size = fl->offset + (fl->type->size + 7) / 8 * 8;
		} while (dwarf_siblingof(&p, &p) == 0);
	}
	s->nfields = n;
	*args = s;
	*nparams = n;
	if (ret) {
		*ret = NULL;
		if (type_of(&fn, &rt)) {
			struct et_type *r = convert(a, &rt, 0);

			if (r && r->size <= 8 && r->kind != ET_STRUCT && r->kind != ET_STRING && r->kind != ET_ARRAY)
				*ret = r;
			else
				*ret = type_int(a, 8, false);
		}
	}
out:
	dw_close(&f);
	return err;
}

/* Does DIE `d` define (not merely declare) the type `name` written as "struct x", "union x", "enum x"
 * or a typedef / base type name? */
static bool defines_type(Dwarf_Die *d, const char *name)
{
	static const struct {
		const char *prefix;
		int tag, tag2;
	} kinds[] = {
	    {"struct ", DW_TAG_structure_type, DW_TAG_class_type},
	    {"union ", DW_TAG_union_type, DW_TAG_union_type},
	    {"enum ", DW_TAG_enumeration_type, DW_TAG_enumeration_type},
	};
	const char *n = dwarf_diename(d);
	int tag = dwarf_tag(d);

	if (!n || dwarf_hasattr(d, DW_AT_declaration))
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t len = strlen(kinds[i].prefix);

		if (strncmp(name, kinds[i].prefix, len) == 0)
			return (tag == kinds[i].tag || tag == kinds[i].tag2) && strcmp(n, name + len) == 0;
	}
	return (tag == DW_TAG_typedef || tag == DW_TAG_base_type) && strcmp(n, name) == 0;
}

int dwinfo_type_by_name(struct arena *a, const char *path, const char *name, struct et_type **out)
{
	struct dw_file f;
	Dwarf_Off off = 0, next;
	size_t hsize;
	int err = dw_open(path, &f);
	bool found = false;

	if (err)
		return err;
	*out = NULL;
	/* the types a program defines are children of its compilation units */
	while (!found && dwarf_nextcu(f.dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, d;

		if (dwarf_offdie(f.dw, off + hsize, &cu) && dwarf_child(&cu, &d) == 0) {
			do
				found = defines_type(&d, name);
			while (!found && dwarf_siblingof(&d, &d) == 0);
			if (found)
				*out = convert(a, &d, 0);
		}
		off = next;
	}
	dw_close(&f);
	return *out ? 0 : -ENOENT;
}

/* Does `path` end with the whole path components of `pattern` ("b.c" and "a/b.c" end "/x/a/b.c"; an
 * absolute pattern must be all of it), bpftrace's path_ends_with? */
static bool path_ends_with(const char *path, const char *pattern)
{
	size_t pl = strlen(path), ql = strlen(pattern);

	if (!ql || ql > pl || strcmp(path + pl - ql, pattern) != 0)
		return false;
	if (ql == pl)
		return true;
	return pattern[0] != '/' && path[pl - ql - 1] == '/';
}

int dwinfo_line_addr(const char *path, const char *file, uint32_t line, uint32_t col, uint64_t *vaddr,
		     char *detail, size_t len)
{
	struct dw_file f;
	Dwarf_Off off = 0, next;
	Dwarf_Die match_cu;
	const char *match = NULL;
	Dwarf_Lines *lines;
	size_t hsize, nlines;
	int err = dw_open(path, &f);

	if (err)
		return err;
	*detail = 0;
	/* the compilation unit one of whose files is `file`: two different files that both end so are
	 * ambiguous (bpftrace's get_cu_by_src) */
	while (dwarf_nextcu(f.dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Files *files;
		size_t nfiles;

		if (dwarf_offdie(f.dw, off + hsize, &cu) && dwarf_getsrcfiles(&cu, &files, &nfiles) == 0) {
			for (size_t i = 0; i < nfiles; i++) {
				const char *src = dwarf_filesrc(files, i, NULL, NULL);

				if (!src || !path_ends_with(src, file))
					continue;
				if (!match) {
					match = src;
					match_cu = cu;
				} else if (strcmp(match, src) != 0) {
					snprintf(detail, len, "%s, %s", match, src);
					err = -ENOTUNIQ;
					goto out;
				}
			}
		}
		off = next;
	}
	if (!match) {
		err = -ENOENT;
		goto out;
	}
	/* its first statement at that line (and column), in the unit's line table order; lines of other
	 * files (headers the unit includes) do not count */
	err = -ERANGE;
	if (dwarf_getsrclines(&match_cu, &lines, &nlines) != 0)
		goto out;
	for (size_t i = 0; i < nlines; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		const char *src = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
		int lno, lcol;
		Dwarf_Addr addr;

		if (!src || dwarf_lineno(l, &lno) != 0 || dwarf_linecol(l, &lcol) != 0)
			continue;
		if (!path_ends_with(src, match) || (uint32_t)lno != line || (col && (uint32_t)lcol != col))
			continue;
		if (dwarf_lineaddr(l, &addr) == 0) {
			*vaddr = addr;
			err = 0;
			break;
		}
	}
out:
	dw_close(&f);
	return err;
}

struct dwinfo {
	struct dw_file f;
};

struct dwinfo *dwinfo_open(const char *path)
{
	struct dwinfo *d = malloc(sizeof(*d));

	if (d && dw_open(path, &d->f) != 0) {
		free(d);
		d = NULL;
	}
	return d;
}

void dwinfo_close(struct dwinfo *d)
{
	if (!d)
		return;
	dw_close(&d->f);
	free(d);
}

int dwinfo_src_line(struct dwinfo *d, uint64_t vaddr, char *buf, size_t len)
{
	Dwarf_Die cu;
	Dwarf_Line *l;
	const char *src;
	int lno;

	if (!d || !dwarf_addrdie(d->f.dw, vaddr, &cu) || !(l = dwarf_getsrc_die(&cu, vaddr)))
		return -ENOENT;
	src = dwarf_linesrc(l, NULL, NULL);
	if (!src || dwarf_lineno(l, &lno) != 0 || lno <= 0)
		return -ENOENT;
	snprintf(buf, len, "%s:%d", src, lno);
	return 0;
}

/* "FILE:LINE" of a DW_AT_call_file / DW_AT_call_line pair of inlined subroutine `die` in unit `cu`. */
static int call_site(Dwarf_Die *cu, Dwarf_Die *die, char *buf, size_t len)
{
	Dwarf_Files *files;
	size_t nfiles;
	uint64_t file = udata(die, DW_AT_call_file, 0), line = udata(die, DW_AT_call_line, 0);
	const char *src;

	if (!line || dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || file >= nfiles ||
	    !(src = dwarf_filesrc(files, file, NULL, NULL)))
		return -ENOENT;
	snprintf(buf, len, "%s:%" PRIu64, src, line);
	return 0;
}

int dwinfo_src_frames(struct dwinfo *d, uint64_t vaddr, dwinfo_frame_fn *fn, void *arg)
{
	Dwarf_Die cu, *scopes = NULL;
	char where[4096 + 24];
	int n, err;

	err = dwinfo_src_line(d, vaddr, where, sizeof(where));
	if (err)
		return err;
	if (!dwarf_addrdie(d->f.dw, vaddr, &cu))
		return -ENOENT;
	n = dwarf_getscopes(&cu, vaddr, &scopes);
	/* innermost first; the first subprogram is the function the code belongs to */
	for (int i = 0; i < n && dwarf_tag(&scopes[i]) != DW_TAG_subprogram; i++) {
		Dwarf_Attribute attr;
		const char *name, *linkage = NULL;

		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		name = dwarf_diename(&scopes[i]);
		if (dwarf_attr_integrate(&scopes[i], DW_AT_linkage_name, &attr) ||
		    dwarf_attr_integrate(&scopes[i], DW_AT_MIPS_linkage_name, &attr))
			linkage = dwarf_formstring(&attr);
		fn(arg, name ? name : "??", linkage, where);
		/* the next frame out is where this one was inlined */
		if (call_site(&cu, &scopes[i], where, sizeof(where)) != 0)
			snprintf(where, sizeof(where), "??:0");
	}
	free(scopes);
	fn(arg, NULL, NULL, where);
	return 0;
}

/* A type's C name as bpftrace's -lv prints it. */
static void type_name(Dwarf_Die *t, char *buf, size_t len)
{
	Dwarf_Die inner;
	const char *n = dwarf_diename(t);
	char tmp[256];
	int tag = dwarf_tag(t);

	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
		snprintf(buf, len, "%s", n ? n : "");
		return;
	case DW_TAG_pointer_type:
		if (type_of(t, &inner)) {
			type_name(&inner, tmp, sizeof(tmp));
			snprintf(buf, len, "%s*", tmp);
		} else {
			snprintf(buf, len, "void*");
		}
		return;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
		snprintf(buf, len, "%s %s",
			 tag == DW_TAG_structure_type ? "struct" : tag == DW_TAG_union_type ? "union" : "enum",
			 n ? n : "<anonymous>");
		return;
	case DW_TAG_const_type:
		if (!type_of(t, &inner)) {
			snprintf(buf, len, "const void");
			return;
		}
		type_name(&inner, tmp, sizeof(tmp));
		if (dwarf_tag(&inner) == DW_TAG_pointer_type)
			snprintf(buf, len, "%s const", tmp);
		else
			snprintf(buf, len, "const %s", tmp);
		return;
	default:
		snprintf(buf, len, "<unknown type>");
		return;
	}
}

int dwinfo_list_params(const char *path, const char *func, FILE *out)
{
	struct dw_file f;
	Dwarf_Die fn, p, pt;
	char name[512];
	int err = dw_open(path, &f);

	if (err)
		return err;
	err = find_func(f.dw, func, &fn);
	if (!err && dwarf_child(&fn, &p) == 0) {
		do {
			const char *pn;

			if (dwarf_tag(&p) != DW_TAG_formal_parameter)
				continue;
			if (type_of(&p, &pt))
				type_name(&pt, name, sizeof(name));
			else
				snprintf(name, sizeof(name), "<unknown type>");
			pn = dwarf_diename(&p);
			if (pn)
				fprintf(out, "    %s %s\n", name, pn);
			else
				fprintf(out, "    %s\n", name);
		} while (dwarf_siblingof(&p, &p) == 0);
	}
	dw_close(&f);
	return err;
}
