/* test_rt_run: rt_run() end to end without the front end. A BPF object is built with codegen's
 * low-level layer (cg_ctx.h): begin stores @x = 5 and sends printf("hello %d\n", 42); an
 * interval:ms:50 probe sends exit(3); end sends printf("end ran\n"). The program tables are filled
 * by hand as sema would. Checks: the exact text output (begin output, end output, the blank lines,
 * the map), the exit code of exit(3), and that a run whose 3rd probe of 5 cannot attach returns 1,
 * reports the probe, and leaves no BPF program (nor a link, which would keep one alive) behind. Root only (exit 77 otherwise). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "probes/provider.h"
#include "codegen/cg_ctx.h"
#include "runtime/rt.h"
#include "program/program.h"
#include "program/types.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "tests/unit/check.h"

/* One ring buffer record { u64 event; i64 arg }, submitted with a wakeup when `wake`. */
static void send(struct cg_ctx *cg, LLVMValueRef rb, uint64_t event, int64_t arg, bool wake)
{
	LLVMBuilderRef b = cg->b;
	LLVMValueRef rec = cg_ringbuf_reserve(cg, rb, 16);
	LLVMBasicBlockRef ok = cg_block(cg, "ok"), done = cg_block(cg, "done");

	LLVMBuildCondBr(b, LLVMBuildIsNull(b, rec, ""), done, ok);
	LLVMPositionBuilderAtEnd(b, ok);
	LLVMBuildStore(b, cg_i64(cg, event), rec);
	LLVMBuildStore(b, cg_i64(cg, (uint64_t)arg), cg_gep(cg, rec, 8));
	cg_ringbuf_submit(cg, rec, wake ? 0 : BPF_RB_NO_WAKEUP);
	LLVMBuildBr(b, done);
	LLVMPositionBuilderAtEnd(b, done);
}

/* The programs' names: begin, tick (perf_event), end, and two spare raw_tp programs for the attach
 * test, each with this process's pid, so that ours_left counts only programs this process loaded and
 * not those of another etrace (whose begin is begin_0) or of this test run elsewhere at the same time. */
enum { PROG_BEGIN, PROG_TICK, PROG_END, PROG_SPARE3, PROG_SPARE4, NPROGS };
static char prog_names[NPROGS][16]; /* BPF_OBJ_NAME_LEN */

static void name_programs(void)
{
	static const char *const base[NPROGS] = {"begin", "tick", "end", "spare3", "spare4"};

	for (int i = 0; i < NPROGS; i++)
		snprintf(prog_names[i], sizeof(prog_names[i]), "%s_%d", base[i], (int)getpid());
}

static int build(void **elf, size_t *size)
{
	struct cg_ctx *cg = cg_ctx_new("test_rt_run");
	struct et_type u64_t = {.kind = ET_INT, .size = 8}, u32_t = {.kind = ET_INT, .size = 4};
	LLVMValueRef x, rb, lost, key, val;
	int err;

	if (!cg)
		return -errno;
	x = cg_map_define(cg, "AT_x", BPF_MAP_TYPE_HASH, cg_di_type(cg, &u64_t), cg_di_type(cg, &u64_t), 1);
	rb = cg_map_define(cg, "et_ringbuf", BPF_MAP_TYPE_RINGBUF, NULL, NULL, 64 * 1024);
	lost = cg_map_define(cg, "et_lost", BPF_MAP_TYPE_PERCPU_ARRAY, cg_di_type(cg, &u32_t), cg_di_type(cg, &u64_t), 1);
	cg_license(cg, "GPL");
	if (!x || !rb || !lost) {
		cg_ctx_free(cg);
		return -EINVAL;
	}
	cg_func_begin(cg, prog_names[PROG_BEGIN], "raw_tp", 1);
	key = cg_alloca(cg, cg->t_i64, "k");
	val = cg_alloca(cg, cg->t_i64, "v");
	LLVMBuildStore(cg->b, cg_i64(cg, 0), key);
	LLVMBuildStore(cg->b, cg_i64(cg, 5), val);
	cg_map_update(cg, x, key, val, 0);
	send(cg, rb, 0, 42, false);
	cg_func_end(cg);
	cg_func_begin(cg, prog_names[PROG_TICK], "perf_event", 2);
	send(cg, rb, 1, 3, true);
	cg_func_end(cg);
	cg_func_begin(cg, prog_names[PROG_END], "raw_tp", 3);
	send(cg, rb, 2, 0, false);
	cg_func_end(cg);
	cg_func_begin(cg, prog_names[PROG_SPARE3], "raw_tp/sys_enter", 4);
	cg_func_end(cg);
	cg_func_begin(cg, prog_names[PROG_SPARE4], "raw_tp/sys_exit", 5);
	cg_func_end(cg);
	err = cg_emit(cg, elf, size, NULL);
	if (err)
		fprintf(stderr, "emit: %s\n", cg->error ? cg->error : "?");
	cg_ctx_free(cg);
	return err;
}

static struct et_program *program(const void *elf, size_t size, bool with_bad_probe)
{
	struct et_program *p = et_program_new();
	struct arena *a = p->arena;
	struct et_type *i64 = type_int(a, 8, true), *one[1] = {i64};

	p->elf = malloc(size);
	memcpy(p->elf, elf, size);
	p->elf_size = size;
	p->nmaps = 1;
	p->maps = arena_alloc(a, sizeof(*p->maps));
	p->maps[0] = (struct et_map_desc){.name = "@x", .elf_name = "AT_x", .value = i64, .max_entries = 1};
	p->nevents = 3;
	p->events = arena_alloc(a, 3 * sizeof(*p->events));
	p->events[0] = (struct et_event_desc){.kind = ET_EV_PRINTF, .fmt = "hello %d\n", .args = type_tuple(a, one, 1), .map = -1};
	p->events[1] = (struct et_event_desc){.kind = ET_EV_EXIT, .args = type_tuple(a, one, 1), .map = -1};
	p->events[2] = (struct et_event_desc){.kind = ET_EV_PRINTF, .fmt = "end ran\n", .map = -1};
	p->ringbuf_name = "et_ringbuf";
	p->lost_map_name = "et_lost";
	p->probes = arena_alloc(a, 5 * sizeof(*p->probes));
	p->probes[p->nprobes++] = (struct et_probe_desc){.name = "begin", .prog_name = prog_names[PROG_BEGIN], .section = "raw_tp",
							  .provider = provider_find("BEGIN")};
	if (with_bad_probe) {
		/* 5 probes, the 3rd of them cannot attach */
		p->probes[p->nprobes++] = (struct et_probe_desc){.name = "tracepoint:raw_syscalls:sys_enter",
			.prog_name = prog_names[PROG_SPARE3], .section = "raw_tp/sys_enter", .provider = provider_find("t"),
			.target = "raw_syscalls", .func = "sys_enter", .raw = true};
		p->probes[p->nprobes++] = (struct et_probe_desc){.name = "rawtracepoint:etrace_no_such_event",
			.prog_name = prog_names[PROG_SPARE4], .section = "raw_tp/sys_exit", .provider = provider_find("rt"),
			.func = "etrace_no_such_event", .loc = {.file = 1, .line = 7, .col = 1}};
	}
	p->probes[p->nprobes++] = (struct et_probe_desc){.name = "interval:ms:50", .prog_name = prog_names[PROG_TICK],
		.section = "perf_event", .provider = provider_find("i"), .offset = 50, .unit = "ms"};
	p->probes[p->nprobes++] = (struct et_probe_desc){.name = "end", .prog_name = prog_names[PROG_END], .section = "raw_tp",
							  .provider = provider_find("END")};
	return p;
}

/* Programs of this process still in the kernel (by their names, which hold the pid; a live link keeps
 * its program alive too). */
static unsigned ours_left(void)
{
	__u32 id = 0;
	unsigned n = 0;

	while (bpf_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			for (int i = 0; i < NPROGS; i++)
				if (strcmp(info.name, prog_names[i]) == 0)
					n++;
		close(fd);
	}
	return n;
}

int main(void)
{
	void *elf = NULL;
	size_t size = 0;
	struct source_set *ss;
	struct diag_sink *diag;
	struct et_program *p;
	char text[4096] = {0};
	FILE *out;
	int err, status;

	name_programs();
	err = build(&elf, &size);
	CHECK(err == 0, "build: %d", err);
	if (err)
		return 1;
	if (geteuid() != 0) {
		free(elf);
		printf("SKIP: loading BPF programs needs root\n");
		return 77;
	}
	ss = source_set_new();
	diag = diag_new(ss);

	/* a normal run: begin, ticks until exit(3), end, maps */
	p = program(elf, size, false);
	out = tmpfile();
	status = rt_run(p, &(struct rt_options){.out = out, .quiet = true}, diag);
	CHECK(status == 3, "exit(3) gives status %d", status);
	CHECK(!diag_has_errors(diag), "errors reported");
	rewind(out);
	text[fread(text, 1, sizeof(text) - 1, out)] = 0;
	fclose(out);
	CHECK(strcmp(text, "hello 42\nend ran\n\n\n@x: 5\n") == 0, "output:\n%s", text);
	et_program_free(p);

	/* the 3rd of 5 probes fails: status 1, an error at that probe, nothing left in the kernel */
	p = program(elf, size, true);
	out = tmpfile();
	status = rt_run(p, &(struct rt_options){.out = out, .quiet = true}, diag);
	fclose(out);
	CHECK(status == 1, "failed attach gives status %d", status);
	CHECK(diag_error_count(diag) == 1, "%u errors", diag_error_count(diag));
	diag_render(diag, stderr);
	et_program_free(p);
	for (int i = 0; i < 100 && ours_left(); i++)
		usleep(20000); /* the kernel frees programs asynchronously */
	CHECK(ours_left() == 0, "%u programs left behind", ours_left());

	diag_free(diag);
	source_set_free(ss);
	free(elf);
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	printf("test_rt_run: ok\n");
	return 0;
}
