/* test_cg_compile: codegen from source text. Each script is parsed, analysed and compiled (et_compile);
 * the object must be an ELF with one program per concrete probe. As root, every object is then loaded
 * with libbpf WITHOUT attaching (the kernel verifier accepts it, every program carries BTF and line
 * info), and the
 * BEGIN-only scripts of the semantic table are run once with BPF_PROG_TEST_RUN: the value left in map
 * @a is compared with what bpftrace gives for the same expression (integer semantics, strings, loops,
 * maps and aggregations). Without root only the compile half runs (the root half is reported as
 * skipped when nothing failed). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/tracefs.h"
#include "compile/compile.h"
#include "program/program.h"
#include "program/types.h"
#include "support/diag.h"
#include "support/source.h"
#include "tests/unit/check.h"

static void fail(const char *script, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const char *script, const char *fmt, ...)
{
	va_list ap;
	failures++;
	fprintf(stderr, "FAIL: %s\n  ", script);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct compiled {
	struct source_set *sources;
	struct diag_sink *diag;
	struct et_compilation comp;
	struct et_program *prog; /* comp's */
};

static const char *const positional[] = {"41", "hello"};

/* parse → sema → codegen through et_compile; 0 when prog->elf was produced */
static int compile(struct compiled *c, const char *text)
{
	struct et_compile_options opts = {.env = ET_COMPILE_ENV_DEFAULT, .positional = positional, .npositional = 2,
					  .unsafe = true, .ir_optimized = getenv("CG_DUMP_IR") ? stderr : NULL,
					  .last = ET_PHASE_CODEGEN};
	memset(c, 0, sizeof(*c));
	c->sources = source_set_new();
	c->diag = diag_new(c->sources);
	uint32_t file = source_add(c->sources, "test.et", text, strlen(text));
	int err = et_compile(&opts, c->sources, &file, 1, c->diag, &c->comp);
	c->prog = c->comp.prog;
	if (diag_count(c->diag))
		diag_render(c->diag, stderr);
	return err;
}

static void release(struct compiled *c)
{
	et_compilation_free(&c->comp);
	diag_free(c->diag);
	source_set_free(c->sources);
}

static bool have_root;
struct script;
static void run_script(const struct script *s);
static bool have_tracefs;

static char verifier_log[1 << 16];

/* Load without attaching; every program must carry BTF. Returns the object (NULL on failure). */
static struct bpf_object *load(const char *script, struct compiled *c)
{
	struct bpf_object *obj = bpf_object__open_mem(c->prog->elf, c->prog->elf_size, NULL);
	if (!obj) {
		fail(script, "bpf_object__open_mem: %s", strerror(errno));
		return NULL;
	}
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj)
	{
		bpf_program__set_log_buf(p, verifier_log, sizeof(verifier_log));
	}
	verifier_log[0] = 0;
	int err = bpf_object__load(obj);
	if (err) {
		size_t n = strlen(verifier_log);
		fail(script, "load failed (%d); verifier log tail:\n%s", err,
		     verifier_log + (n > 3000 ? n - 3000 : 0));
		bpf_object__close(obj);
		return NULL;
	}
	uint32_t nprogs = 0;
	bpf_object__for_each_program(p, obj)
	{
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		memset(&info, 0, sizeof(info));
		nprogs++;
		checks++;
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len) || info.btf_id == 0)
			fail(script, "program %s loaded without BTF", bpf_program__name(p));
		/* line info maps verifier messages back to the script */
		checks++;
		if (info.nr_line_info == 0)
			fail(script, "program %s has no line info", bpf_program__name(p));
	}
	checks++;
	if (nprogs != c->prog->nprobes)
		fail(script, "%u programs in the object, %u probes", nprogs, c->prog->nprobes);
	return obj;
}

/* ---- scripts that must compile and pass the verifier ---- */
struct script {
	const char *text;
	bool tracefs; /* needs tracepoint formats */
};

static const struct script scripts[] = {
    {"tracepoint:raw_syscalls:sys_enter < @[comm]=count(); >", true},
    {"tracepoint:raw_syscalls:sys_enter { @[comm, pid] = count(); @s[tid] = sum(cpu); }", true},
    {"tracepoint:syscalls:sys_enter_openat { printf(\"%s %s %d\\n\", comm, str(args.filename), args.flags); }", true},
    {"tracepoint:syscalls:sys_enter_openat /args.flags & 1/ { @f[str(args.filename, 8)] = count(); }", true},
    {"tracepoint:syscalls:sys_enter_execve { join(args.argv); join(args.argv, \",\"); }", true},
    /* a run-time length: the bound must survive the optimiser for the verifier */
    {"tracepoint:syscalls:sys_enter_openat { $n = pid % 10; printf(\"%s\\n\", str(args.filename, $n)); }", true},
    {"tracepoint:syscalls:sys_exit_read /args.ret > 0/ { @h[comm] = hist(args.ret); @l = lhist(args.ret, 0, 1000, 100);"
     " @st = stats(args.ret); @mn = min(args.ret); @mx = max(args.ret); @av = avg(args.ret); }", true},
    {"tracepoint:sched:sched_switch { @[args.prev_comm, args.next_pid] = count(); "
     "if (args.prev_pid == 0) { @idle++; } else { @busy += 1; } }", true},
    {"tracepoint:sched:sched_switch, tracepoint:sched:sched_wakeup { @[probe] = count(); }", true},
    {"interval:s:1 { time(); time(\"%H\\n\"); print(@x); clear(@x); zero(@y); print(@y, 3, 1); @x = 1; @y = count(); "
     "exit(3); }", false},
    {"BEGIN { printf(\"%d %s %s %d\\n\", $1, str($2), comm, nsecs); print((1, \"a\")); print(comm); exit(); }", false},
    {"BEGIN { @p = probe; @e = elapsed; @c = cpu; @r = rand; @g = cgroup; @t = curtask; @u = uid; @gi = gid;"
     " @ti = tid; @pi = pid; }", false},
    {"BEGIN { $t = (1, \"two\", comm); @m[$t.1, $t.2] = $t; @n[1] = (2, \"x\"); print(@n); }", false},
    {"BEGIN { $s = comm; if ($s == \"bash\") { @b = 1; } else if (strncmp($s, \"ba\", 2) == 0) { @b = 2; } }", false},
    {"BEGIN { $i = 0; while ($i < 100) { $i++; if ($i % 7 == 0) { continue; } @w += $i; } }", false},
    {"BEGIN { for ($i : 0..10) { @f[$i] = $i * $i; } delete(@f[3]); delete(@f, 4); @k = has_key(@f, 2); }", false},
    {"BEGIN { system(\"echo %d\", 5); signal(10); signal(\"SIGCONT\"); signal(\"cont\"); } END { @z = 1; }", false},
    {"tracepoint:sched:sched_switch { @s[args.next_pid % 3] = 1; for ($kv : @s) {"
     " @t[$kv.0, args.prev_pid > 0, comm] = count(); printf(\"%d\\n\", $kv.1); } }", true},
    {"software:cpu-clock:1000000 { @[cpu] = count(); } profile:hz:99 { @p[pid] = count(); }", false},
    /* many strings in one probe: temporaries beyond the 512-byte stack go to the scratch map */
    {"tracepoint:syscalls:sys_enter_openat { printf(\"%s %s %s %s %s %s %s\\n\", comm, str(args.filename),"
     " str(args.filename), str(args.filename), str(args.filename), str(args.filename), str(args.filename));"
     " @[str(args.filename), comm] = count(); $a = str(args.filename); $b = (str(args.filename), $a, comm);"
     " @x[$a] = count(); @y[$b] = count(); if ($a == $b.1) { @z = 1; } }", true},
    {"BEGIN { @a = 1; @a++; --@a; $x = @a++; @b[comm] += $x; @c = @b[comm] + @d; } END { @d = 2; }", false},
};

/* ---- BEGIN/END scripts: each program runs once, in probe order; map @a (keyless) must hold `want` in the u64 at `off` (summed over
 * CPUs for per-CPU maps) ---- */
struct semantic {
	const char *text;
	uint32_t off;
	int64_t want;
};

static const struct semantic semantics[] = {
    {"BEGIN { @a = -7 / 2; }", 0, -3},
    {"BEGIN { @a = -7 % 2; }", 0, -1},
    {"BEGIN { @a = 7 % -2; }", 0, 1},
    {"BEGIN { @a = 7 / -2; }", 0, -3},
    {"BEGIN { $z = 0; @a = 5 / $z; }", 0, 1}, /* bpftrace: 1 and a runtime warning */
    {"BEGIN { $z = 0; @a = 5 % $z; }", 0, 1},
    {"BEGIN { @a = (uint8)300; }", 0, 44},
    {"BEGIN { @a = (int8)200; }", 0, -56},
    {"BEGIN { @a = (int16)70000 + 1; }", 0, 4465},
    {"BEGIN { @a = 1 << 62 >> 61; }", 0, 2},
    {"BEGIN { @a = -16 >> 2; }", 0, -4},
    {"BEGIN { @a = 0xffffffffffffffff / 2; }", 0, INT64_MAX},
    {"BEGIN { @a = -(5); }", 0, -5},
    {"BEGIN { @a = ~0; }", 0, -1},
    {"BEGIN { @a = !5; }", 0, 0},
    {"BEGIN { $x = 10; $x += 5; $x++; @a = $x; }", 0, 16},
    {"BEGIN { $x = 3; @a = $x++ * 10 + $x; }", 0, 34},
    {"BEGIN { @a = 1 < 2 && 3 > 4 || 5 == 5; }", 0, 1},
    {"BEGIN { $z = 0; @a = $z && 1 / $z; }", 0, 0},
    {"BEGIN { @a = -1 < 1; }", 0, 1},
    {"BEGIN { @a = (uint64)-1 > 1; }", 0, 1},
    {"BEGIN { @a = \"abc\" == \"abc\"; }", 0, 1},
    {"BEGIN { @a = \"abc\" == \"abd\"; }", 0, 0},
    {"BEGIN { @a = \"ab\" == \"abc\"; }", 0, 0},
    {"BEGIN { $s = \"hello\"; @a = $s != \"hello\"; }", 0, 0},
    {"BEGIN { @a = str($2) == \"hello\"; }", 0, 1},
    {"BEGIN { @a = strncmp(\"abc\", \"abd\", 2); }", 0, 0},
    {"BEGIN { @a = strncmp(\"abc\", \"abd\", 3) != 0; }", 0, 1},
    {"BEGIN { $t = (1, \"two\", 3); @a = $t.0 + $t.2; }", 0, 4},
    {"BEGIN { @a = 1 ? 10 : 20; }", 0, 10},
    {"BEGIN { $z = 0; @a = $z ? 10 : 20; }", 0, 20},
    {"BEGIN { $i = 0; while ($i < 10) { $i++; if ($i == 5) { break; } } @a = $i; }", 0, 5},
    {"BEGIN { for ($i : 0..5) { @a += $i; } }", 0, 10},
    {"BEGIN { unroll(4) { @a += 3; } }", 0, 12},
    {"BEGIN { @a = $1 + 1; }", 0, 42},
    {"BEGIN { @a = $#; }", 0, 2},
    {"BEGIN { @a = 1; @a++; @a += 10; @a -= 2; }", 0, 10},
    {"BEGIN { @m[1] = 2; @a = has_key(@m, 1) + @m[1]; }", 0, 3},
    {"BEGIN { @m[1] = 2; delete(@m[1]); @a = has_key(@m, 1) + @m[1]; }", 0, 0},
    {"BEGIN { @m[1] = 2; @m[3] = 4; delete(@m, 1); @a = has_key(@m, 1) * 10 + has_key(@m, 3); }", 0, 1},
    {"BEGIN { @m[1, \"x\"] = 7; @a = @m[1, \"x\"] + @m[2, \"x\"]; }", 0, 7},
    {"BEGIN { @a = probe; }", 0, 0},
    /* two programs sharing one body: each passes its own probe index (tracepoints whose body reads no
     * args are raw_tp programs, which BPF_PROG_TEST_RUN can run; rawtracepoint is tp_btf where it can be) */
    {"tracepoint:sched:sched_switch, tracepoint:sched:sched_wakeup { @m[probe] = 1; @a = len(@m); }", 0, 2},
    {"BEGIN { @m[1] = 1; @m[2] = 2; @m[7] = 3; @a = len(@m); }", 0, 3},
    {"BEGIN { @m[1] = 10; @m[2] = 20; @m[7] = 30; for ($kv : @m) { @a += $kv.1; } }", 0, 60},
    {"BEGIN { $i = 0; @m[1] = 1; @m[2] = 2; @m[3] = 3; for ($kv : @m) { $i++; if ($i >= 2) { break; } } @a = $i; }",
     0, 2},
    {"BEGIN { $s = 0; @m[1] = 1; @m[2] = 2; @m[3] = 3; for ($kv : @m) { if ($kv.0 == 2) { continue; } $s += $kv.1; }"
     " @a = $s; }", 0, 4},
    {"BEGIN { @x[1] = 1; @x[2] = 2; @y[5] = 5; for ($p : @x) { for ($q : @y) { @a += $p.1 * $q.1; } } }", 0, 15},
    {"BEGIN { @m[\"a\", 1] = 10; @m[\"bb\", 2] = 20; for ($kv : @m) { if ($kv.0.0 == \"bb\") {"
     " @a += $kv.0.1 * 100 + $kv.1; } } }", 0, 220},
    {"BEGIN { @m[1] = 1; @m[2] = 2; delete(@m[2]); @c[comm] = count(); @a = len(@m) * 10 + len(@c); }", 0, 11},
    {"BEGIN { if (1) { @a = 1; return; } @a = 2; }", 0, 1},
    {"BEGIN { @a = count(); @a = count(); @a = count(); }", 0, 3},
    {"BEGIN { @a = sum(5); @a = sum(7); @a = sum(-2); }", 0, 10},
    {"BEGIN { @a = min(3); @a = min(-2); @a = min(8); }", 0, -2},
    {"BEGIN { @a = min(3); @a = min(-2); @a = min(8); }", 8, 1},
    {"BEGIN { @a = max(3); @a = max(9); @a = max(8); }", 0, 9},
    {"BEGIN { @a = avg(4); @a = avg(8); }", 0, 2},
    {"BEGIN { @a = avg(4); @a = avg(8); }", 8, 12},
    {"BEGIN { @a = stats(4); @a = stats(8); @a = stats(1); }", 8, 13},
    {"BEGIN { @a = hist(100); @a = hist(127); }", 8 * 8, 2},
    {"BEGIN { @a = hist(0); }", 1 * 8, 1},
    {"BEGIN { @a = hist(1); }", 2 * 8, 1},
    {"BEGIN { @a = hist(-1); }", 0, 1},
    {"BEGIN { @a = hist(0xffffffffffffffff); }", 65 * 8, 1},
    {"BEGIN { @a = lhist(5, 0, 10, 2); }", 3 * 8, 1},
    {"BEGIN { @a = lhist(-1, 0, 10, 2); }", 0, 1},
    {"BEGIN { @a = lhist(10, 0, 10, 2); }", 6 * 8, 1},
    {"BEGIN { @a = lhist(9, 0, 10, 2); }", 5 * 8, 1},
};

/* the u64 at `off` of @a's value for key 0, summed over CPUs for per-CPU maps */
static int read_a(struct bpf_object *obj, uint32_t off, int64_t *out)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "AT_a");
	if (!m)
		return -ENOENT;
	uint64_t key = 0;
	uint32_t vsize = bpf_map__value_size(m);
	bool percpu = bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_HASH || bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_ARRAY;
	int ncpus = percpu ? libbpf_num_possible_cpus() : 1;
	size_t stride = percpu ? ((vsize + 7) & ~7u) : vsize;
	uint8_t *buf = calloc((size_t)ncpus, stride);
	if (!buf || off >= vsize) {
		free(buf);
		return -EINVAL;
	}
	uint32_t n = vsize - off < 8 ? vsize - off : 8; /* a bool is one byte */
	int err = bpf_map_lookup_elem(bpf_map__fd(m), &key, buf);
	int64_t sum = 0;
	for (int c = 0; !err && c < ncpus; c++) {
		int64_t v = 0;
		memcpy(&v, buf + (size_t)c * stride + off, n);
		sum += v;
	}
	free(buf);
	*out = sum;
	return err ? -errno : 0;
}

static void run_semantic(const struct semantic *s)
{
	struct compiled c;
	checks++;
	if (compile(&c, s->text) != 0) {
		fail(s->text, "does not compile");
		release(&c);
		return;
	}
	if (!have_root) {
		release(&c);
		return;
	}
	struct bpf_object *obj = load(s->text, &c);
	if (!obj) {
		release(&c);
		return;
	}
	/* every program once, in probe order */
	int err = 0;
	for (uint32_t i = 0; i < c.prog->nprobes && !err; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, c.prog->probes[i].prog_name);
		LIBBPF_OPTS(bpf_test_run_opts, topts);
		err = p ? bpf_prog_test_run_opts(bpf_program__fd(p), &topts) : -ENOENT;
	}
	checks++;
	if (err) {
		fail(s->text, "test run failed: %d", err);
	} else {
		int64_t got = 0;
		err = read_a(obj, s->off, &got);
		if (err)
			fail(s->text, "@a not readable: %d", err);
		else if (got != s->want)
			fail(s->text, "@a (u64 at %u) = %lld, want %lld", s->off, (long long)got, (long long)s->want);
	}
	bpf_object__close(obj);
	release(&c);
}

/* A probe with 40 small map keys: stack temporaries beyond the budget go to the scratch map. */
static void run_many_keys(void)
{
	char text[2048];
	size_t n = (size_t)snprintf(text, sizeof(text), "BEGIN {");
	for (int i = 0; i < 40 && n < sizeof(text) - 64; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, " @c%d[comm, %d] = count();", i, i);
	snprintf(text + n, sizeof(text) - n, " }");
	struct script s = {text, false};
	run_script(&s);
}

static void run_script(const struct script *s)
{
	struct compiled c;
	if (s->tracefs && !have_tracefs)
		return;
	checks++;
	if (compile(&c, s->text) != 0) {
		fail(s->text, "does not compile");
		release(&c);
		return;
	}
	checks++;
	if (!c.prog->elf || c.prog->elf_size < 64 || memcmp(c.prog->elf, "\177ELF", 4) != 0)
		fail(s->text, "no ELF object");
	else if (have_root) {
		struct bpf_object *obj = load(s->text, &c);
		bpf_object__close(obj);
	}
	release(&c);
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || !getenv("CG_VERBOSE"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(void)
{
	have_root = geteuid() == 0;
	const char *tfs = tracefs_root(); /* mounts tracefs when missing (root) */
	have_tracefs = tfs != NULL;
	libbpf_set_print(quiet_libbpf);
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
		run_script(&scripts[i]);
	run_many_keys();
	for (size_t i = 0; i < sizeof(semantics) / sizeof(semantics[0]); i++)
		run_semantic(&semantics[i]);
	if (failures) {
		fprintf(stderr, "%d of %d checks failed\n", failures, checks);
		return 1;
	}
	if (!have_root) {
		printf("SKIP: compiled every script (%d checks); loading and running them needs root\n", checks);
		return 77;
	}
	printf("ok: %d checks%s\n", checks, have_tracefs ? "" : " (tracepoint scripts skipped: no tracefs)");
	return 0;
}
