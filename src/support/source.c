#define _GNU_SOURCE /* memfd_create */
#include "support/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct source {
	char *name;
	char *text;
	size_t len;
	size_t *line_start; /* offsets of each line's first byte */
	uint32_t nlines;
	/* an expansion (source_add_expansion): the file whose text it names, where and which macro was
	 * called; base 0 for a file of its own */
	uint32_t base;
	struct et_loc call;
	char *macro;
};

struct source_set {
	struct source *files;
	uint32_t count;
};

struct source_set *source_set_new(void)
{
	return calloc(1, sizeof(struct source_set));
}

void source_set_free(struct source_set *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->count; i++) {
		free(s->files[i].name);
		free(s->files[i].text);
		free(s->files[i].line_start);
		free(s->files[i].macro);
	}
	free(s->files);
	free(s);
}

/* A zeroed entry at the end of s->files (s->count is not yet raised); aborts when memory runs out. */
static struct source *new_file(struct source_set *s)
{
	struct source *files = realloc(s->files, (s->count + 1) * sizeof(*files));

	if (!files)
		abort();
	s->files = files;
	memset(&files[s->count], 0, sizeof(files[s->count]));
	return &files[s->count];
}

uint32_t source_add(struct source_set *s, const char *name, const char *text, size_t len)
{
	struct source *f = new_file(s);
	f->name = strdup(name);
	f->text = malloc(len + 1);
	if (!f->name || !f->text)
		abort();
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
	uint32_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	f->line_start = malloc(n * sizeof(size_t));
	if (!f->line_start)
		abort();
	f->line_start[0] = 0;
	f->nlines = 1;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			f->line_start[f->nlines++] = i + 1;
	return ++s->count;
}

uint32_t source_load_file(struct source_set *s, const char *path)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp)
		return 0;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		abort();
	size_t n;
	while ((n = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb)
				abort();
			buf = nb;
		}
	}
	int err = ferror(fp) ? errno : 0;
	if (fp != stdin)
		fclose(fp);
	if (err) {
		free(buf);
		errno = err;
		return 0;
	}
	uint32_t id = source_add(s, strcmp(path, "-") == 0 ? "stdin" : path, buf, len);
	free(buf);
	return id;
}

uint32_t source_add_expansion(struct source_set *s, uint32_t file, struct et_loc call, const char *macro)
{
	struct source *f = new_file(s);
	while (file && file <= s->count && s->files[file - 1].base)
		file = s->files[file - 1].base;
	f->base = file;
	f->call = call;
	f->macro = strdup(macro);
	if (!f->macro)
		abort();
	return ++s->count;
}

bool source_expansion(const struct source_set *s, uint32_t file, struct et_loc *call, const char **macro)
{
	if (!s || file == 0 || file > s->count || !s->files[file - 1].base)
		return false;
	*call = s->files[file - 1].call;
	*macro = s->files[file - 1].macro;
	return true;
}

/* The file itself, or for an expansion the file whose text it names. */
static const struct source *get(const struct source_set *s, uint32_t file)
{
	if (!s || file == 0 || file > s->count)
		return NULL;
	const struct source *f = &s->files[file - 1];
	return f->base ? &s->files[f->base - 1] : f;
}

const char *source_name(const struct source_set *s, uint32_t file)
{
	const struct source *f = get(s, file);
	return f ? f->name : "<etrace>";
}

const char *source_text(const struct source_set *s, uint32_t file, size_t *len)
{
	const struct source *f = get(s, file);
	if (!f)
		return NULL;
	if (len)
		*len = f->len;
	return f->text;
}

int source_memfd(const struct source_set *s, uint32_t file, char *path, size_t pathlen)
{
	const struct source *f = get(s, file);
	if (!f) {
		errno = EINVAL;
		return -1;
	}
	int fd = memfd_create("etrace-script", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	for (size_t done = 0; done < f->len;) {
		ssize_t n = write(fd, f->text + done, f->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close(fd);
			errno = err;
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, pathlen, "/dev/fd/%d", fd);
	return fd;
}

const char *source_line(const struct source_set *s, uint32_t file, uint32_t line, size_t *len)
{
	const struct source *f = get(s, file);
	if (!f || line == 0 || line > f->nlines)
		return NULL;
	size_t start = f->line_start[line - 1];
	size_t end = line < f->nlines ? f->line_start[line] - 1 : f->len;
	if (end > start && f->text[end - 1] == '\r')
		end--;
	if (len)
		*len = end - start;
	return f->text + start;
}
