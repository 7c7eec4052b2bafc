/* strtab: open addressing on an FNV-1a hash, doubled at 50% load. */
#include "support/strtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "support/arena.h"

struct entry {
	const char *str;
	size_t len;
	uint32_t hash;
};

struct strtab {
	struct arena *arena;
	struct entry *slots;
	size_t cap, count;
};

static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct strtab *strtab_new(struct arena *a)
{
	struct strtab *t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->arena = a;
	t->cap = 256;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots)
		abort();
	return t;
}

void strtab_free(struct strtab *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

static void rehash(struct strtab *t)
{
	size_t ncap = t->cap * 2;
	struct entry *n = calloc(ncap, sizeof(*n));
	if (!n)
		abort();
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].str)
			continue;
		size_t j = t->slots[i].hash & (ncap - 1);
		while (n[j].str)
			j = (j + 1) & (ncap - 1);
		n[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = n;
	t->cap = ncap;
}

const char *strtab_intern(struct strtab *t, const char *s, size_t len)
{
	uint32_t h = fnv1a(s, len);
	size_t i = h & (t->cap - 1);
	while (t->slots[i].str) {
		struct entry *e = &t->slots[i];
		if (e->hash == h && e->len == len && memcmp(e->str, s, len) == 0)
			return e->str;
		i = (i + 1) & (t->cap - 1);
	}
	const char *copy = arena_strndup(t->arena, s, len);
	t->slots[i] = (struct entry){ copy, len, h };
	if (++t->count * 2 > t->cap)
		rehash(t);
	return copy;
}

const char *strtab_cstr(struct strtab *t, const char *s)
{
	return strtab_intern(t, s, strlen(s));
}
