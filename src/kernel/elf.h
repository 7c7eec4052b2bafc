/* elf: what the user-space probe providers (uprobe, usdt) and the symboliser need from ELF files,
 * read with libelf: function symbols (symtab and dynsym, C++ names also in demangled form), the
 * conversion of a virtual address to a file offset through the PT_LOAD program headers (PIE and
 * shared objects), the .note.stapsdt USDT notes, and finding a file from what the user wrote
 * (a path, a library name such as "libc" or "libc.so.6" resolved like ld.so through /etc/ld.so.cache
 * and the usual directories, or a program name looked up in PATH).
 * Memory: every result is malloc'ed and owned by the caller (elf_syms_free, elf_notes_free, free()).
 * Failure: int functions return 0 / negative errno (-ENOENT: no such file, symbol or library;
 * -ENOEXEC: not an ELF file). */
#ifndef ET_ELF_H
#define ET_ELF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_sym {
	char *name;         /* as stored (mangled for C++) */
	char *demangled;    /* C++ names only, else NULL */
	uint64_t addr;      /* st_value (virtual address) */
	uint64_t size;
};

struct elf_syms {
	struct elf_sym *syms; /* sorted by addr, one entry per (name, addr) */
	size_t count;
	bool is_dyn;          /* ET_DYN (PIE or shared object) */
};

/* All defined function symbols of path (STT_FUNC, STT_GNU_IFUNC) from .symtab and .dynsym. */
int elf_read_syms(const char *path, struct elf_syms *out);
void elf_syms_free(struct elf_syms *s);
/* The function symbol containing addr (a virtual address of the file); NULL when none. */
const struct elf_sym *elf_syms_lookup(const struct elf_syms *s, uint64_t addr);

/* The address (st_value) of the defined symbol `name` of any type (function or object) in path;
 * *is_dyn tells whether the file is ET_DYN (PIE or shared object: the address moves at load). */
int elf_symbol_addr(const char *path, const char *name, uint64_t *addr, bool *is_dyn);

/* The file offset of virtual address vaddr (from the PT_LOAD segment holding it). */
int elf_vaddr_to_offset(const char *path, uint64_t vaddr, uint64_t *offset);

/* The virtual address of file offset off (from the PT_LOAD segment holding it). */
int elf_offset_to_vaddr(const char *path, uint64_t off, uint64_t *vaddr);

/* One USDT probe site from .note.stapsdt (pc already adjusted for prelink through .stapsdt.base). */
struct elf_note {
	char *provider, *name, *args; /* args: the argument specs, blank separated ("-4@%edi 8@(%rax)") */
	uint64_t pc;                  /* virtual address of the probe's nop */
	uint64_t pc_offset;           /* its file offset */
	uint64_t sem_offset;          /* file offset of the semaphore, 0 when it has none */
};
struct elf_notes {
	struct elf_note *notes;
	size_t count;
};
int elf_read_notes(const char *path, struct elf_notes *out);
void elf_notes_free(struct elf_notes *n);

/* Find the file a probe names: a path containing '/' is made absolute (it must exist); otherwise a
 * library name ("libc", "libc.so", "libc.so.6") through LD_LIBRARY_PATH, ld.so.cache and the usual
 * library directories,
 * then a program name through PATH. Writes the path to out. */
int elf_resolve_target(const char *name, char *out, size_t len);

/* The C++ demangled form of a name, malloc'ed, or NULL when it is not a mangled C++ name. */
char *elf_demangle(const char *name);

#endif
