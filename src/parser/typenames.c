/* typenames: built-in type words plus names a script defines (see typenames.h). */
#include "parser/typenames.h"

#include <string.h>

#include "support/arena.h"

struct typenames {
	struct arena *arena;
	const char **names;
	size_t *lens;
	size_t count, cap;
};

/* Words that always name a type in a cast, `let $x: T` and sizeof/offsetof/typeof. `buffer` is not here:
 * bpftrace has no cast to buffer, and `buf` is a function. */
static const char *const builtin_names[] = {
	"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
	"bool", "string", "void", "char", "short", "int", "long", "signed", "unsigned",
	"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
	"__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64",
	"__be16", "__be32", "__be64", "__le16", "__le32", "__le64",
	"int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
	"size_t", "ssize_t", "pid_t", "uid_t", "gid_t", "off_t", "loff_t", "umode_t", "mode_t", "dev_t",
	"time_t", "clockid_t", "sector_t", "gfp_t", "uintptr_t", "intptr_t", "ptrdiff_t", "bool_t",
};

bool typenames_builtin(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(builtin_names) / sizeof(builtin_names[0]); i++)
		if (strlen(builtin_names[i]) == len && memcmp(builtin_names[i], name, len) == 0)
			return true;
	return false;
}

bool typenames_value_word(const char *name, size_t len)
{
	static const char *const words[] = {
		"args", "ctx", "kstack", "nsecs", "pid", "tid", "ustack", /* bpftrace's parser builtins */
		"uid", "gid", "comm", "elapsed", "cpu", "probe", "rand", "cgroup", "curtask", "cpid", "retval",
		"func", "ppid", "pcomm", "leader_tid", "leader_comm", "ncpus", "jiffies",
		"numaid", "usermode", "username", "probetype", "has_cpid",
	};
	size_t d;

	if ((len > 3 && memcmp(name, "arg", 3) == 0) || (len > 4 && memcmp(name, "sarg", 4) == 0)) {
		for (d = name[0] == 's' ? 4 : 3; d < len && name[d] >= '0' && name[d] <= '9'; d++)
			;
		if (d == len)
			return true;
	}
	if (len > 10 && memcmp(name, "__builtin_", 10) == 0)
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && memcmp(words[i], name, len) == 0)
			return true;
	return false;
}

struct typenames *typenames_new(struct arena *a)
{
	struct typenames *t = arena_alloc(a, sizeof(*t));
	t->arena = a;
	return t;
}

void typenames_add(struct typenames *t, const char *name, size_t len)
{
	if (typenames_has(t, name, len))
		return;
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		t->names = arena_grow(t->arena, t->names, t->cap, cap, sizeof(*t->names));
		t->lens = arena_grow(t->arena, t->lens, t->cap, cap, sizeof(*t->lens));
		t->cap = cap;
	}
	t->names[t->count] = arena_strndup(t->arena, name, len);
	t->lens[t->count] = len;
	t->count++;
}

bool typenames_has(const struct typenames *t, const char *name, size_t len)
{
	if (typenames_builtin(name, len))
		return true;
	for (size_t i = 0; t && i < t->count; i++)
		if (t->lens[i] == len && memcmp(t->names[i], name, len) == 0)
			return true;
	return false;
}
