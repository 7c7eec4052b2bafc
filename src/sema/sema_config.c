/* sema_config: the script's config block (`config = { missing_probes = ignore; max_strlen = 128 }`).
 * Every variable bpftrace documents is known. A name may be written as bpftrace's environment variable
 * (BPFTRACE_MAX_STRLEN), in upper case (MAX_STRLEN) or in lower case; the old names bpftrace renamed
 * (strlen, map_keys_max...) still work with a warning, the ones it retired are accepted with a warning
 * that they do nothing. Each value is checked at its own location. A variable the environment set
 * wins over the block (bpftrace's rule): the block's value is then checked but not used.
 * What each variable does here:
 *   max_strlen, max_map_keys, perf_rb_pages, stack_mode, str_trunc_trailer: sema and codegen's limits;
 *   max_cat_bytes: the program (the runtime's cat());
 *   missing_probes: sema_missing_begin/end (probes whose target is missing) and the runtime (attach);
 *   print_maps_on_exit, cpp_demangle, license: the program (runtime, codegen);
 *   max_probes, max_bpf_progs: checked after every probe is expanded (sema_config_check_probes);
 *   the others etrace has no use for (on_stack_limit, log_size, symbol caching...):
 *   a located warning says so; unstable_tseries, unstable_dw_ustack, unstable_typeinfo and
 *   unstable_import_statement decide whether using the feature warns (once), passes or fails
 *   (sema_unstable_use).
 * Internal to src/sema (sema_int.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "support/arena.h"
#include "support/diag.h"
#include "sema/sema_int.h"

enum cfg_id {
	CFG_MAX_STRLEN, CFG_MAX_MAP_KEYS, CFG_PERF_RB_PAGES, CFG_STACK_MODE, CFG_STR_TRUNC_TRAILER,
	CFG_MISSING_PROBES, CFG_PRINT_MAPS_ON_EXIT, CFG_LICENSE, CFG_MAX_PROBES, CFG_MAX_BPF_PROGS,
	CFG_CPP_DEMANGLE, CFG_CACHE_USER_SYMBOLS, CFG_LAZY_SYMBOLICATION, CFG_LOG_SIZE, CFG_MAX_CAT_BYTES,
	CFG_ON_STACK_LIMIT, CFG_SHOW_DEBUG_INFO, CFG_USE_BLAZESYM, CFG_UNSTABLE,
};

struct cfg_var {
	const char *name;
	enum cfg_id id;
	int env_bit; /* SEMA_CFG_x, or -1 when etrace reads no environment variable for it */
	int feature; /* CFG_UNSTABLE: its enum sema_unstable_feature */
	/* for the variables etrace does not use: why (the warning's second half) */
	const char *unused;
};

static const struct cfg_var vars[] = {
	{ "max_strlen", CFG_MAX_STRLEN, SEMA_CFG_MAX_STRLEN, 0, NULL },
	{ "max_map_keys", CFG_MAX_MAP_KEYS, SEMA_CFG_MAX_MAP_KEYS, 0, NULL },
	{ "perf_rb_pages", CFG_PERF_RB_PAGES, SEMA_CFG_PERF_RB_PAGES, 0, NULL },
	{ "stack_mode", CFG_STACK_MODE, SEMA_CFG_STACK_MODE, 0, NULL },
	{ "str_trunc_trailer", CFG_STR_TRUNC_TRAILER, SEMA_CFG_STR_TRUNC_TRAILER, 0, NULL },
	{ "missing_probes", CFG_MISSING_PROBES, SEMA_CFG_MISSING_PROBES, 0, NULL },
	{ "print_maps_on_exit", CFG_PRINT_MAPS_ON_EXIT, SEMA_CFG_PRINT_MAPS_ON_EXIT, 0, NULL },
	{ "license", CFG_LICENSE, SEMA_CFG_LICENSE, 0, NULL },
	{ "max_probes", CFG_MAX_PROBES, SEMA_CFG_MAX_PROBES, 0, NULL },
	{ "max_bpf_progs", CFG_MAX_BPF_PROGS, SEMA_CFG_MAX_BPF_PROGS, 0, NULL },
	{ "cpp_demangle", CFG_CPP_DEMANGLE, SEMA_CFG_CPP_DEMANGLE, 0, NULL },
	{ "cache_user_symbols", CFG_CACHE_USER_SYMBOLS, -1, 0,
	  "etrace reads each binary's symbols once and looks addresses up per process" },
	{ "lazy_symbolication", CFG_LAZY_SYMBOLICATION, -1, 0,
	  "etrace always reads a binary's symbols when it first prints one of its addresses" },
	{ "log_size", CFG_LOG_SIZE, -1, 0, "etrace keeps 256 KiB of verifier log per program" },
	{ "max_cat_bytes", CFG_MAX_CAT_BYTES, SEMA_CFG_MAX_CAT_BYTES, 0, NULL },
	{ "on_stack_limit", CFG_ON_STACK_LIMIT, -1, 0,
	  "etrace keeps strings, tuples and large values in its per-CPU scratch area itself" },
	{ "show_debug_info", CFG_SHOW_DEBUG_INFO, -1, 0, NULL },
	{ "use_blazesym", CFG_USE_BLAZESYM, -1, 0, "etrace does not use blazesym" },
	{ "unstable_import_statement", CFG_UNSTABLE, SEMA_CFG_UNSTABLE_IMPORT_STATEMENT,
	  SEMA_UNSTABLE_IMPORT_STATEMENT, NULL },
	{ "unstable_tseries", CFG_UNSTABLE, SEMA_CFG_UNSTABLE_TSERIES, SEMA_UNSTABLE_TSERIES, NULL },
	{ "unstable_typeinfo", CFG_UNSTABLE, SEMA_CFG_UNSTABLE_TYPEINFO, SEMA_UNSTABLE_TYPEINFO, NULL },
	{ "unstable_dw_ustack", CFG_UNSTABLE, SEMA_CFG_UNSTABLE_DW_USTACK, SEMA_UNSTABLE_DW_USTACK, NULL },
};

/* bpftrace's renamed variables (old → new) and the ones it retired. */
static const char *const renamed[][2] = {
	{ "strlen", "max_strlen" }, { "no_cpp_demangle", "cpp_demangle" },
	{ "cat_bytes_max", "max_cat_bytes" }, { "map_keys_max", "max_map_keys" },
};
static const char *const retired[] = { "symbol_source", "max_type_res_iterations", "unstable_addr",
				       "unstable_import", "unstable_macro", "unstable_map_decl" };
/* bpftrace's variables that only the environment may set */
static const char *const env_only[] = { "btf", "kernel_build", "kernel_source", "vmlinux" };

static const char *const licenses[] = { "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
					"Dual MIT/GPL", "Dual MPL/GPL" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int sema_missing_probes_word(const char *w)
{
	if (strcasecmp(w, "error") == 0)
		return ET_MISSING_ERROR;
	if (strcasecmp(w, "warn") == 0)
		return ET_MISSING_WARN;
	if (strcasecmp(w, "ignore") == 0)
		return ET_MISSING_IGNORE;
	return -1;
}

int sema_bool_word(const char *w)
{
	static const char *const yes[] = { "1", "true", "on", "yes" }, *const no[] = { "0", "false", "off", "no" };

	for (size_t i = 0; i < COUNT(yes); i++) {
		if (strcasecmp(w, yes[i]) == 0)
			return 1;
		if (strcasecmp(w, no[i]) == 0)
			return 0;
	}
	return -1;
}

int sema_unstable_word(const char *w)
{
	int b = sema_bool_word(w);

	if (strcasecmp(w, "enable") == 0 || b == 1)
		return SEMA_UNSTABLE_ENABLE;
	if (strcasecmp(w, "warn") == 0)
		return SEMA_UNSTABLE_WARN;
	if (strcasecmp(w, "error") == 0 || b == 0)
		return SEMA_UNSTABLE_ERROR;
	return -1;
}

unsigned sema_unstable_cfg_bit(enum sema_unstable_feature f)
{
	static const unsigned bit[SEMA_UNSTABLE_COUNT_] = { SEMA_CFG_UNSTABLE_TSERIES, SEMA_CFG_UNSTABLE_DW_USTACK,
							    SEMA_CFG_UNSTABLE_TYPEINFO,
							    SEMA_CFG_UNSTABLE_IMPORT_STATEMENT };

	return bit[f];
}

/* bpftrace's words, so that scripts and tests that look for them find them */
void sema_unstable_use(struct sema *s, enum sema_unstable_feature f, struct et_loc loc)
{
	static const char *const feature[SEMA_UNSTABLE_COUNT_] = { "tseries", "dw_ustack (DWARF stack unwinding)",
								   "typeinfo", "import statements" };
	static const char *const flag[SEMA_UNSTABLE_COUNT_] = { "unstable_tseries", "unstable_dw_ustack",
								"unstable_typeinfo", "unstable_import_statement" };

	if (s->unstable[f] == SEMA_UNSTABLE_ERROR) {
		sema_error(s, loc, "%s feature is not enabled by default. To enable this unstable feature, set the "
				   "config flag to enable. %s=enable", feature[f], flag[f]);
	} else if (s->unstable[f] == SEMA_UNSTABLE_WARN && !s->unstable_warned[f] && !s->quiet) {
		sema_warning(s, loc, "Script is using an unstable feature: %s. To prevent this warning you must "
				     "explicitly enable it in the config e.g. %s=enable", feature[f], flag[f]);
		s->unstable_warned[f] = true;
	}
}

static void add_str(struct sema *s, struct ast_node *r, const char *name, const char *value)
{
	ast_record_add(s->arena, r, name, ast_new_string(s->arena, r->loc, value, (uint32_t)strlen(value)));
}

static void add_int(struct sema *s, struct ast_node *r, const char *name, uint64_t value)
{
	ast_record_add(s->arena, r, name, ast_new_int(s->arena, r->loc, value, false));
}

static void add_bool(struct sema *s, struct ast_node *r, const char *name, bool value)
{
	ast_record_add(s->arena, r, name, ast_new_bool(s->arena, r->loc, value));
}

/* Variables etrace takes but has no use for show bpftrace's defaults (lazy_symbolication, log_size,
 * on_stack_limit); max_probes and max_bpf_progs are one
 * limit here. */
struct ast_node *sema_config_record(struct sema *s, struct et_loc loc)
{
	static const char *const unstable_words[] = { "warn", "enable", "error" };
	static const char *const missing_words[] = { "error", "warn", "ignore" };
	const struct et_program *p = s->prog;
	struct ast_node *r = ast_new_record(s->arena, loc);
	uint32_t max_probes = s->max_probes ? s->max_probes : SEMA_DEFAULT_MAX_PROBES;

	add_bool(s, r, "cpp_demangle", !p->no_demangle);
	add_bool(s, r, "lazy_symbolication", true);
	add_bool(s, r, "print_maps_on_exit", !p->no_exit_print);
	add_bool(s, r, "use_blazesym", false);
	add_bool(s, r, "show_debug_info", !p->no_debug_info);
	add_int(s, r, "log_size", 1000000);
	add_int(s, r, "max_bpf_progs", max_probes);
	add_int(s, r, "max_cat_bytes", p->max_cat_bytes ? p->max_cat_bytes : 10240);
	add_int(s, r, "max_map_keys", s->max_map_keys);
	add_int(s, r, "max_probes", max_probes);
	add_int(s, r, "max_strlen", s->max_strlen);
	add_int(s, r, "on_stack_limit", 32);
	add_int(s, r, "perf_rb_pages", p->ringbuf_pages);
	add_str(s, r, "str_trunc_trailer", p->str_trunc_trailer ? p->str_trunc_trailer : "..");
	add_str(s, r, "unstable_import_statement", unstable_words[s->unstable[SEMA_UNSTABLE_IMPORT_STATEMENT]]);
	add_str(s, r, "unstable_tseries", unstable_words[s->unstable[SEMA_UNSTABLE_TSERIES]]);
	add_str(s, r, "unstable_typeinfo", unstable_words[s->unstable[SEMA_UNSTABLE_TYPEINFO]]);
	add_str(s, r, "unstable_dw_ustack", unstable_words[s->unstable[SEMA_UNSTABLE_DW_USTACK]]);
	add_str(s, r, "missing_probes", missing_words[p->missing_probes]);
	add_str(s, r, "stack_mode", s->stack_mode ? s->stack_mode : "bpftrace");
	add_str(s, r, "license", p->license ? p->license : "GPL");
	return r;
}

bool sema_license_known(const char *w)
{
	for (size_t i = 0; i < COUNT(licenses); i++)
		if (strcmp(w, licenses[i]) == 0)
			return true;
	return false;
}

/* The value as a word: a bare identifier, a string, true/false, or an integer's decimal text (bpftrace
 * takes each of these for every variable); NULL for any other expression. */
static const char *value_word(struct sema *s, struct ast_node *v, char *buf, size_t len)
{
	int64_t val;

	if (v->kind == AST_IDENT)
		return v->u.name;
	if (v->kind == AST_STRING)
		return v->u.string.bytes;
	if (v->kind == AST_BOOL)
		return v->u.integer.value ? "true" : "false";
	if (v->kind == AST_INT || sema_const_int(s, v, &val)) {
		if (v->kind == AST_INT)
			snprintf(buf, len, "%llu", (unsigned long long)v->u.integer.value);
		else
			snprintf(buf, len, "%lld", (long long)val);
		return buf;
	}
	return NULL;
}

/* The variable's canonical name: lower case, without a BPFTRACE_ prefix. */
static const char *canonical(struct sema *s, const char *key)
{
	size_t n = strlen(key);
	char *c = arena_alloc(s->arena, n + 1);

	for (size_t i = 0; i <= n; i++)
		c[i] = (char)tolower((unsigned char)key[i]);
	if (strncmp(c, "bpftrace_", 9) == 0)
		c += 9;
	return c;
}

static void unknown_variable(struct sema *s, struct ast_node *v, const char *key)
{
	const char *cands[COUNT(vars)];
	const char *close;

	for (size_t i = 0; i < COUNT(vars); i++)
		cands[i] = vars[i].name;
	close = sema_closest(canonical(s, key), cands, COUNT(vars));
	sema_error(s, v->loc, "unknown config variable '%s'", key);
	if (close)
		sema_hint(s, "did you mean '%s'?", close);
	else
		sema_hint(s, "etrace(8) lists the config variables under LANGUAGE, Config");
}

/* A positive integer value up to max (with its error). */
static bool int_value(struct sema *s, struct ast_node *v, const char *key, int64_t max, int64_t *val)
{
	if (!sema_const_int(s, v, val) || *val <= 0 || *val > max) {
		sema_error(s, v->loc, "config variable '%s' needs a positive integer constant", key);
		return false;
	}
	return true;
}

/* A stack mode name (bpftrace's stack_mode values); false when `name` is not one. The bpftrace mode is
 * the default format, which types spell as no name (sema_stack). */
static bool stack_mode_name(const char *name, const char **mode)
{
	if (strcmp(name, "bpftrace") == 0)
		*mode = NULL;
	else if (strcmp(name, "perf") == 0 || strcmp(name, "raw") == 0)
		*mode = name;
	else
		return false;
	return true;
}

/* One variable's value, checked, and used unless the environment set it (`use` false). */
static void set_var(struct sema *s, const struct cfg_var *cv, const char *key, struct ast_node *v, bool use)
{
	char buf[32];
	const char *w = value_word(s, v, buf, sizeof(buf));
	int64_t val;
	int k;

	switch (cv->id) {
	case CFG_MAX_STRLEN:
		if (!int_value(s, v, key, 1 << 24, &val))
			return;
		if (val > SEMA_MAX_STRLEN) {
			sema_error(s, v->loc, "max_strlen = %lld is more than the %u bytes a string may have",
				   (long long)val, SEMA_MAX_STRLEN);
			sema_hint(s, "use max_strlen = %u or less: strings live in the probe's 32 KiB per-CPU scratch area",
				  SEMA_MAX_STRLEN);
		} else if (use) {
			s->max_strlen = (uint32_t)val;
		}
		return;
	case CFG_MAX_MAP_KEYS:
		if (int_value(s, v, key, 1 << 24, &val) && use)
			s->max_map_keys = (uint32_t)val;
		return;
	case CFG_PERF_RB_PAGES:
		if (!int_value(s, v, key, 1 << 24, &val))
			return;
		if ((val & (val - 1)) != 0 || val > SEMA_MAX_RB_PAGES) {
			sema_error(s, v->loc, "perf_rb_pages must be a power of two up to %u, not %lld", SEMA_MAX_RB_PAGES,
				   (long long)val);
			sema_hint(s, "the ring buffer is perf_rb_pages pages of memory: try 64, 256 or 1024");
		} else if (use) {
			s->prog->ringbuf_pages = (uint32_t)val;
		}
		return;
	case CFG_MAX_PROBES:
	case CFG_MAX_BPF_PROGS:
		if (int_value(s, v, key, UINT32_MAX, &val) && use &&
		    (s->max_probes == 0 || (uint32_t)val < s->max_probes)) {
			s->max_probes = (uint32_t)val;
			s->max_probes_loc = v->loc;
		}
		return;
	case CFG_STACK_MODE: {
		const char *mode;

		if (v->kind == AST_INT || !w || !stack_mode_name(w, &mode)) {
			sema_error(s, v->loc, "config variable 'stack_mode' must be bpftrace, perf or raw");
			sema_hint(s, "write config = { stack_mode = perf }");
		} else if (use) {
			s->stack_mode = mode;
		}
		return;
	}
	case CFG_STR_TRUNC_TRAILER:
		/* as in bpftrace, a number is taken as its decimal text and a bare word as itself */
		if (!w || v->kind == AST_BOOL) {
			sema_error(s, v->loc, "config variable 'str_trunc_trailer' needs a string");
			sema_hint(s, "write config = { str_trunc_trailer = \"...\" }, or \"\" for no trailer");
		} else if (use) {
			s->prog->str_trunc_trailer = arena_strdup(s->prog->arena, w);
		}
		return;
	case CFG_MISSING_PROBES:
		k = w ? sema_missing_probes_word(w) : -1;
		if (k < 0) {
			sema_error(s, v->loc, "config variable 'missing_probes' must be error, warn or ignore");
			sema_hint(s, "write config = { missing_probes = warn }");
		} else if (use) {
			s->prog->missing_probes = (enum et_missing_probes)k;
		}
		return;
	case CFG_PRINT_MAPS_ON_EXIT:
	case CFG_CPP_DEMANGLE:
	case CFG_LAZY_SYMBOLICATION:
	case CFG_SHOW_DEBUG_INFO:
	case CFG_USE_BLAZESYM:
		k = w ? sema_bool_word(w) : -1;
		if (k < 0) {
			sema_error(s, v->loc, "config variable '%s' needs true or false", key);
			return;
		}
		if (cv->id == CFG_PRINT_MAPS_ON_EXIT && use)
			s->prog->no_exit_print = !k;
		else if (cv->id == CFG_CPP_DEMANGLE && use)
			s->prog->no_demangle = !k;
		else if (cv->id == CFG_SHOW_DEBUG_INFO && use)
			s->prog->no_debug_info = !k;
		break;
	case CFG_LICENSE:
		if (!w || v->kind != AST_STRING || !sema_license_known(w)) {
			sema_error(s, v->loc, "config variable 'license' must be one of the licenses BPF programs accept");
			sema_hint(s, "write \"GPL\", \"GPL v2\", \"GPL and additional rights\", \"Dual BSD/GPL\", "
				     "\"Dual MIT/GPL\" or \"Dual MPL/GPL\"");
		} else if (use) {
			s->prog->license = arena_strdup(s->prog->arena, w);
		}
		return;
	case CFG_CACHE_USER_SYMBOLS:
		if (!w || (strcasecmp(w, "per_pid") != 0 && strcasecmp(w, "per_program") != 0 &&
			   strcasecmp(w, "none") != 0 && strcmp(w, "0") != 0 && strcmp(w, "1") != 0)) {
			sema_error(s, v->loc, "config variable 'cache_user_symbols' must be PER_PID, PER_PROGRAM or NONE");
			return;
		}
		break;
	case CFG_MAX_CAT_BYTES:
		if (int_value(s, v, key, UINT32_MAX, &val) && use)
			s->prog->max_cat_bytes = (uint32_t)val;
		return;
	case CFG_LOG_SIZE:
	case CFG_ON_STACK_LIMIT:
		if (!int_value(s, v, key, INT64_MAX, &val))
			return;
		break;
	case CFG_UNSTABLE:
		if (!w || (k = sema_unstable_word(w)) < 0) {
			sema_error(s, v->loc, "config variable '%s' must be enable, warn or error", key);
			return;
		}
		if (use)
			s->unstable[cv->feature] = (uint8_t)k;
		break;
	}
	if (cv->unused)
		sema_warning(s, v->loc, "config variable '%s' has no effect in etrace: %s", key, cv->unused);
}

void sema_config_item(struct sema *s, struct ast_node *n)
{
	for (uint32_t i = 0; i < n->u.config.values.count; i++) {
		const char *key = n->u.config.keys[i];
		struct ast_node *v = n->u.config.values.items[i];
		const char *name = canonical(s, key);
		const struct cfg_var *cv = NULL;
		bool done = false;

		for (size_t k = 0; k < COUNT(renamed) && !done; k++)
			if (strcmp(name, renamed[k][0]) == 0) {
				sema_warning(s, v->loc, "config variable '%s' has been renamed, please use '%s'", key,
					     renamed[k][1]);
				name = renamed[k][1];
				done = true;
			}
		for (size_t k = 0; k < COUNT(retired); k++)
			if (strcmp(name, retired[k]) == 0) {
				sema_warning(s, v->loc, "config variable '%s' is deprecated and has no effect", key);
				name = NULL;
				break;
			}
		if (!name)
			continue;
		for (size_t k = 0; k < COUNT(env_only); k++)
			if (strcmp(name, env_only[k]) == 0) {
				sema_error(s, v->loc, "'%s' can only be set as an environment variable", key);
				name = NULL;
				break;
			}
		if (!name)
			continue;
		for (size_t k = 0; k < COUNT(vars) && !cv; k++)
			if (strcmp(name, vars[k].name) == 0)
				cv = &vars[k];
		if (!cv) {
			unknown_variable(s, v, key);
			continue;
		}
		set_var(s, cv, key, v, cv->env_bit < 0 || !(s->opts->config_from_env & (1u << cv->env_bit)));
	}
}

void sema_config_check_probes(struct sema *s, struct et_loc where)
{
	/* bpftrace's default for both max_probes and max_bpf_progs */
	uint32_t limit = s->max_probes ? s->max_probes : SEMA_DEFAULT_MAX_PROBES;

	if (s->prog->nprobes <= limit)
		return;
	if (s->max_probes_loc.file)
		where = s->max_probes_loc;
	sema_error(s, where, "this program has %u probes, more than max_probes / max_bpf_progs allow (%u)",
		   s->prog->nprobes, limit);
	sema_hint(s, "raise the limit in the config block or with BPFTRACE_MAX_PROBES (carefully: many probes "
		     "can stall the system), or match fewer functions");
}

/* Errors an attach point's expansion reports about a missing target (a function, binary, event...)
 * become warnings, or are dropped, as missing_probes asks. */
void sema_missing_end(struct sema *s, unsigned mark, bool missing)
{
	if (!missing || s->prog->missing_probes == ET_MISSING_ERROR)
		return;
	diag_demote_since(s->diag, mark, s->prog->missing_probes == ET_MISSING_IGNORE);
}
