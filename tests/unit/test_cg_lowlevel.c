/* test_cg_lowlevel: the codegen low-level layer (cg_ctx.h) end to end, without the front end.
 * Builds a raw_tp/sys_enter program that counts syscalls per comm in a per-CPU hash (lookup →
 * in-place add, BPF_NOEXIST insert on a miss; the step comes from a .rodata global set before load)
 * and sends one ring buffer record per syscall (failed reserves counted in a per-CPU array). The object
 * is emitted to memory, opened with bpf_object__open_mem and loaded (root only: exit 77 otherwise);
 * the program must carry BTF (btf_id != 0). Then it attaches, calls getppid() 1000 times under a
 * unique comm and checks the summed per-CPU count and the ring buffer records.
 * A second object checks USDT argument lowering (cg_usdt_arg) for real: a uprobe on a function of this
 * test reads its arguments through USDT specs (registers, constants, memory with base/index/scale) and
 * stores them in an array map, compared with the values the function was called with. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes/arch/arch.h"
#include "codegen/cg_ctx.h"
#include "program/types.h"
#include "tests/unit/check.h"

#define CALLS 1000
#define STEP 3
static const char test_comm[16] = "etcg_lowlevel";


/* Build the object. Returns 0 and a malloc'ed ELF. */
static int build(void **elf, size_t *size)
{
	struct cg_ctx *cg = cg_ctx_new("test_cg_lowlevel");
	if (!cg)
		return -errno;
	struct et_type comm_t = {.kind = ET_STRING, .size = 16};
	struct et_type u64_t = {.kind = ET_INT, .size = 8};
	LLVMValueRef counts = cg_map_define(cg, "counts", BPF_MAP_TYPE_PERCPU_HASH, cg_di_type(cg, &comm_t),
					    cg_di_type(cg, &u64_t), 1024);
	LLVMValueRef rb = cg_map_define(cg, "events", BPF_MAP_TYPE_RINGBUF, NULL, NULL, 256 * 1024);
	LLVMValueRef lost = cg_map_define(cg, "lost", BPF_MAP_TYPE_PERCPU_ARRAY, cg_di_type(cg, &(struct et_type){
						.kind = ET_INT, .size = 4}), cg_di_type(cg, &u64_t), 1);
	LLVMValueRef step = cg_rodata_u64(cg, "etrace_step");
	cg_license(cg, "GPL");
	if (!counts || !rb || !lost)
		return -EINVAL;

	cg_func_begin(cg, "count_comm", "raw_tp/sys_enter", 1);
	LLVMBuilderRef b = cg->b;
	cg_set_loc(cg, 2, 3);
	LLVMValueRef key = cg_alloca(cg, cg_bytes_type(cg, 16), "key");
	cg_memzero(cg, key, 16);
	cg_get_comm(cg, key, 16);
	LLVMValueRef stepv = LLVMBuildLoad2(b, cg->t_i64, step, "step");
	LLVMSetVolatile(stepv, 1);
	LLVMValueRef v = cg_map_lookup(cg, counts, key);
	LLVMBasicBlockRef hit = cg_block(cg, "hit"), miss = cg_block(cg, "miss"), out = cg_block(cg, "out");
	LLVMBuildCondBr(b, LLVMBuildIsNull(b, v, ""), miss, hit);
	LLVMPositionBuilderAtEnd(b, hit);
	LLVMValueRef old = LLVMBuildLoad2(b, cg->t_i64, v, "");
	LLVMBuildStore(b, LLVMBuildAdd(b, old, stepv, ""), v);
	LLVMBuildBr(b, out);
	LLVMPositionBuilderAtEnd(b, miss);
	LLVMValueRef one = cg_alloca(cg, cg->t_i64, "init");
	LLVMBuildStore(b, stepv, one);
	cg_map_update(cg, counts, key, one, BPF_NOEXIST);
	LLVMBuildBr(b, out);

	/* ring buffer: { u64 7; u64 pid_tgid }, lost[0]++ when the reserve fails */
	LLVMPositionBuilderAtEnd(b, out);
	cg_set_loc(cg, 3, 3);
	LLVMValueRef rec = cg_ringbuf_reserve(cg, rb, 16);
	LLVMBasicBlockRef ok = cg_block(cg, "rb.ok"), fail = cg_block(cg, "rb.fail"), done = cg_block(cg, "done");
	LLVMBuildCondBr(b, LLVMBuildIsNull(b, rec, ""), fail, ok);
	LLVMPositionBuilderAtEnd(b, ok);
	LLVMBuildStore(b, cg_i64(cg, 7), rec);
	LLVMBuildStore(b, cg_get_pid_tgid(cg), cg_gep(cg, rec, 8));
	cg_ringbuf_submit(cg, rec, BPF_RB_NO_WAKEUP);
	LLVMBuildBr(b, done);
	LLVMPositionBuilderAtEnd(b, fail);
	LLVMValueRef zero = cg_alloca(cg, cg->t_i32, "zero");
	LLVMBuildStore(b, LLVMConstInt(cg->t_i32, 0, 0), zero);
	LLVMValueRef lp = cg_map_lookup(cg, lost, zero);
	LLVMBasicBlockRef inc = cg_block(cg, "lost.inc");
	LLVMBuildCondBr(b, LLVMBuildIsNull(b, lp, ""), done, inc);
	LLVMPositionBuilderAtEnd(b, inc);
	LLVMBuildStore(b, LLVMBuildAdd(b, LLVMBuildLoad2(b, cg->t_i64, lp, ""), cg_i64(cg, 1), ""), lp);
	LLVMBuildBr(b, done);
	LLVMPositionBuilderAtEnd(b, done);
	cg_func_end(cg);

	int err = cg_emit(cg, elf, size, getenv("CG_DUMP_IR") ? stderr : NULL);
	if (err)
		fprintf(stderr, "emit: %s\n", cg->error ? cg->error : "?");
	cg_ctx_free(cg);
	return err;
}

/* ---- USDT argument specs read by a uprobe on cg_usdt_target ---- */
static const char *const usdt_specs[] = {
    "-4@%edi", "8@%rsi", "-1@%sil", "4@$7", "8@(%rdx)", "8@8(%rdx)", "-8@(%rdx,%rcx,8)", "2@%cx",
};
#define NUSDT (sizeof(usdt_specs) / sizeof(usdt_specs[0]))

__attribute__((noinline)) long cg_usdt_target(int a, long b, long *p, long idx);
__attribute__((noinline)) long cg_usdt_target(int a, long b, long *p, long idx)
{
	__asm__ volatile("" ::: "memory");
	return a + b + p[idx];
}

static int build_usdt(void **elf, size_t *size)
{
	struct cg_ctx *cg = cg_ctx_new("test_cg_usdt");
	if (!cg)
		return -errno;
	struct et_type u32 = {.kind = ET_INT, .size = 4}, u64 = {.kind = ET_INT, .size = 8};
	LLVMValueRef out = cg_map_define(cg, "usdt_out", BPF_MAP_TYPE_ARRAY, cg_di_type(cg, &u32), cg_di_type(cg, &u64),
					 NUSDT);
	cg_license(cg, "GPL");
	cg_func_begin(cg, "usdt_args", "uprobe", 1);
	LLVMValueRef key = cg_alloca(cg, cg->t_i32, "key"), val = cg_alloca(cg, cg->t_i64, "val");
	for (uint32_t i = 0; i < NUSDT; i++) {
		struct arch_usdt_arg a;
		if (arch_usdt_arg_parse(usdt_specs[i], &a)) {
			cg_ctx_free(cg);
			return -EINVAL;
		}
		cg_set_loc(cg, 2 + i, 1);
		LLVMBuildStore(cg->b, cg_usdt_arg(cg, cg->fn_ctx, &a, NULL), val);
		LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i32, i, 0), key);
		cg_map_update(cg, out, key, val, BPF_ANY);
	}
	cg_func_end(cg);
	int err = cg_emit(cg, elf, size, NULL);
	if (err)
		fprintf(stderr, "emit: %s\n", cg->error ? cg->error : "?");
	cg_ctx_free(cg);
	return err;
}

static void run_usdt(void)
{
	void *elf = NULL;
	size_t size = 0;
	int err = build_usdt(&elf, &size);
	CHECK(err == 0, "USDT object: %d", err);
	if (err)
		return;
	struct bpf_object *obj = bpf_object__open_mem(elf, size, NULL);
	CHECK(obj != NULL, "USDT open_mem: %s", strerror(errno));
	if (!obj || (err = bpf_object__load(obj)) != 0) {
		CHECK(obj == NULL, "USDT load: %d", err);
		bpf_object__close(obj);
		free(elf);
		return;
	}
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "usdt_args");
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = "cg_usdt_target");
	struct bpf_link *link = prog ? bpf_program__attach_uprobe_opts(prog, getpid(), "/proc/self/exe", 0, &uo) : NULL;
	if (!link) {
		printf("note: uprobe attach failed (%s); USDT values not checked\n", strerror(errno));
	} else {
		long arr[2] = {0x1122334455667788L, -42};
		long (*volatile fn)(int, long, long *, long) = cg_usdt_target;
		long b = 0x1234567890ABL;
		fn(-5, b, arr, 1);
		bpf_link__destroy(link);
		const int64_t want[NUSDT] = {-5, b, (int8_t)(b & 0xff), 7, arr[0], arr[1], arr[1], 1};
		int fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "usdt_out"));
		int before = failures;
		for (uint32_t i = 0; i < NUSDT; i++) {
			int64_t got = 0;
			CHECK(bpf_map_lookup_elem(fd, &i, &got) == 0 && got == want[i], "USDT %s: got %lld, want %lld",
			      usdt_specs[i], (long long)got, (long long)want[i]);
		}
		if (failures == before)
			printf("ok: %zu USDT argument specs read by a uprobe\n", NUSDT);
	}
	bpf_object__close(obj);
	free(elf);
}

static long records_ours;
static uint64_t my_pid; /* cached: a syscall in the callback would feed the ring buffer forever */
static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	uint64_t w[2];
	if (size < sizeof(w))
		return 0;
	memcpy(w, data, sizeof(w));
	if (w[0] == 7 && (w[1] >> 32) == my_pid)
		records_ours++;
	return 0;
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("CG_VERBOSE"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(void)
{
	void *elf = NULL;
	size_t size = 0;
	uint64_t sum = 0, nlost = 0;
	int err = build(&elf, &size);
	CHECK(err == 0, "build failed: %d", err);
	if (err)
		return 1;
	CHECK(size > 64 && memcmp(elf, "\177ELF", 4) == 0, "not an ELF object (%zu bytes)", size);
	if (geteuid() != 0) {
		free(elf);
		printf("SKIP: loading BPF programs needs root\n");
		return failures ? 1 : 77;
	}
	libbpf_set_print(print_libbpf);

	struct bpf_object *obj = bpf_object__open_mem(elf, size, NULL);
	CHECK(obj != NULL, "open_mem: %s", strerror(errno));
	if (!obj)
		goto out_elf;
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");
	CHECK(rodata != NULL, "no .rodata map");
	if (rodata) {
		uint64_t step = STEP;
		err = bpf_map__set_initial_value(rodata, &step, sizeof(step));
		CHECK(err == 0, "set_initial_value: %d", err);
	}
	err = bpf_object__load(obj);
	CHECK(err == 0, "load: %d", err);
	if (err)
		goto out_obj;
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "count_comm");
	CHECK(prog != NULL, "program count_comm not found");
	if (!prog)
		goto out_obj;
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
	CHECK(err == 0, "get_info: %d", err);
	CHECK(info.btf_id != 0, "program loaded without BTF");

	struct bpf_map *counts = bpf_object__find_map_by_name(obj, "counts");
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
	CHECK(counts && events, "maps missing");
	if (!counts || !events)
		goto out_obj;
	CHECK(bpf_map__type(counts) == BPF_MAP_TYPE_PERCPU_HASH, "counts has type %d", bpf_map__type(counts));
	CHECK(bpf_map__key_size(counts) == 16 && bpf_map__value_size(counts) == 8, "counts sizes %u/%u",
	      bpf_map__key_size(counts), bpf_map__value_size(counts));
	my_pid = (uint64_t)getpid();
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(events), on_record, NULL, NULL);
	CHECK(rb != NULL, "ring_buffer__new: %s", strerror(errno));

	char saved[16] = {0};
	prctl(PR_GET_NAME, saved);
	prctl(PR_SET_NAME, test_comm);
	struct bpf_link *link = bpf_program__attach_raw_tracepoint(prog, "sys_enter");
	CHECK(link != NULL, "attach: %s", strerror(errno));
	for (int i = 0; link && i < CALLS; i++) {
		getppid();
		if (rb && i % 50 == 49)
			ring_buffer__consume(rb);
	}
	bpf_link__destroy(link);
	prctl(PR_SET_NAME, saved);
	if (rb)
		ring_buffer__consume(rb);

	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals = calloc((size_t)ncpus, sizeof(uint64_t));
	char key[16] = {0};
	memcpy(key, test_comm, strlen(test_comm));
	err = vals ? bpf_map_lookup_elem(bpf_map__fd(counts), key, vals) : -ENOMEM;
	CHECK(err == 0, "no count for comm %s: %d", test_comm, err);
	for (int c = 0; !err && c < ncpus; c++)
		sum += vals[c];
	CHECK(sum >= (uint64_t)CALLS * STEP && sum % STEP == 0, "count %llu, want >= %d (step %d)",
	      (unsigned long long)sum, CALLS * STEP, STEP);
	free(vals);

	struct bpf_map *lost = bpf_object__find_map_by_name(obj, "lost");
	if (lost) {
		uint64_t *lv = calloc((size_t)ncpus, sizeof(uint64_t));
		uint32_t zero = 0;
		if (lv && bpf_map_lookup_elem(bpf_map__fd(lost), &zero, lv) == 0)
			for (int c = 0; c < ncpus; c++)
				nlost += lv[c];
		free(lv);
	}
	/* every one of our syscalls produced a record, unless reserves failed (counted in lost) */
	CHECK(records_ours > 0 && (uint64_t)records_ours + nlost >= CALLS, "records %ld, lost %llu", records_ours,
	      (unsigned long long)nlost);
	ring_buffer__free(rb);
	run_usdt();
out_obj:
	bpf_object__close(obj);
out_elf:
	free(elf);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	else
		printf("ok: count %llu for %d calls, %ld records, %llu lost\n", (unsigned long long)sum, CALLS,
		       records_ours, (unsigned long long)nlost);
	return failures ? 1 : 0;
}
