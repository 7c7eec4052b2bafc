/* test_features: src/runtime/features on this kernel. Each answer is compared with an independent look
 * at the same kernel interface (sysfs/tracefs files, a ring buffer map, perf_event_open), the providers'
 * supported() must give the very same answer (one detection for errors and --info), answers are cached,
 * and the --info report has one yes/no line per feature that agrees with feature_check(). The BPF-load
 * checks need root; without it only the file-based checks run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/perf_event.h>

#include "probes/provider.h"
#include "kernel/tracefs.h"
#include "kernel/features.h"
#include "tests/unit/check.h"

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static bool tracefs_has(const char *rel)
{
	char path[512];

	return tracefs_path(path, sizeof(path), rel) && exists(path);
}

static bool available(enum feature_id id)
{
	return feature_check(id, NULL, NULL) == 0;
}

/* The answer's shape: 0, or -errno with a reason; the out-parameters are left alone when available. */
static void check_shape(void)
{
	static const char sentinel[] = "untouched";

	for (int i = 0; i < FEATURE_COUNT; i++) {
		const char *why = sentinel, *instead = sentinel;
		int err = feature_check((enum feature_id)i, &why, &instead);
		const char *why2 = NULL, *instead2 = NULL;
		int err2 = feature_check((enum feature_id)i, &why2, &instead2);

		CHECK(feature_name((enum feature_id)i) != NULL, "feature %d has no name", i);
		CHECK(err <= 0, "%s: err %d", feature_name((enum feature_id)i), err);
		if (err == 0) {
			CHECK(why == sentinel && instead == sentinel, "%s: available but why/instead written",
			      feature_name((enum feature_id)i));
		} else {
			CHECK(why && why != sentinel && *why, "%s: missing without a reason",
			      feature_name((enum feature_id)i));
			CHECK(instead != sentinel, "%s: instead not set", feature_name((enum feature_id)i));
		}
		CHECK(err2 == err && (err == 0 || (why2 == why && instead2 == instead)),
		      "%s: the second answer differs (cache)", feature_name((enum feature_id)i));
	}
	CHECK(feature_check(FEATURE_COUNT, NULL, NULL) == -EINVAL, "out of range id accepted");
	CHECK(feature_check((enum feature_id)-1, NULL, NULL) == -EINVAL, "negative id accepted");
	CHECK(feature_name(FEATURE_COUNT) == NULL, "out of range id has a name");
}

/* Independent looks at what the kernel exposes. */
static void check_against_kernel(bool root)
{
	bool kprobes = exists("/sys/bus/event_source/devices/kprobe") || tracefs_has("kprobe_events");
	bool uprobes = exists("/sys/bus/event_source/devices/uprobe") || tracefs_has("uprobe_events");

	CHECK(available(FEATURE_BTF) == exists("/sys/kernel/btf/vmlinux"), "BTF disagrees with sysfs");
	CHECK(available(FEATURE_TRACEFS) == (tracefs_root() != NULL), "tracefs disagrees with tracefs_root()");
	CHECK(available(FEATURE_KPROBES) == kprobes, "kprobes: detected %d, files say %d",
	      available(FEATURE_KPROBES), kprobes);
	CHECK(available(FEATURE_UPROBES) == uprobes, "uprobes: detected %d, files say %d",
	      available(FEATURE_UPROBES), uprobes);
	if (!available(FEATURE_BTF)) {
		CHECK(!available(FEATURE_FENTRY), "fentry without BTF");
		CHECK(!available(FEATURE_TP_BTF), "tp_btf without BTF");
	}
	if (!root)
		return;

	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	attr.disabled = 1;
	int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	CHECK(available(FEATURE_PERF_HW) == (fd >= 0), "hardware events: detected %d, perf_event_open %d",
	      available(FEATURE_PERF_HW), fd);
	if (fd >= 0)
		close(fd);

	CHECK(available(FEATURE_BPF), "root cannot load a tracepoint program");
	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "t_ringbuf", 0, 0, 4096, NULL);
	CHECK(available(FEATURE_RINGBUF) == (fd >= 0), "ring buffer: detected %d, map create %d",
	      available(FEATURE_RINGBUF), fd);
	if (fd >= 0)
		close(fd);
}

/* The providers ask features.h: the same code, the same strings. */
static void check_providers(void)
{
	static const struct {
		const char *provider;
		enum feature_id id;
	} map[] = {
		{"kprobe", FEATURE_KPROBES},      {"kretprobe", FEATURE_KPROBES}, {"fentry", FEATURE_FENTRY},
		{"fexit", FEATURE_FENTRY},        {"hardware", FEATURE_PERF_HW},  {"tracepoint", FEATURE_TRACEFS},
		{"rawtracepoint", FEATURE_RAW_TP}, {"uprobe", FEATURE_UPROBES},   {"usdt", FEATURE_UPROBES},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct et_provider *pv = provider_find(map[i].provider);
		const char *why = NULL, *instead = NULL, *fwhy = NULL, *finstead = NULL;

		CHECK(pv && pv->supported, "no provider %s", map[i].provider);
		if (!pv || !pv->supported)
			continue;
		int err = pv->supported(&why, &instead);
		int ferr = feature_check(map[i].id, &fwhy, &finstead);
		/* a provider may also fail for a reason of its own (not implemented here), never succeed when
		 * the kernel lacks its mechanism */
		CHECK(ferr == 0 || err == ferr, "%s: supported() %d but feature %d", map[i].provider, err, ferr);
		if (err && ferr)
			CHECK(why == fwhy && instead == finstead, "%s: a different reason than features.h",
			      map[i].provider);
	}
}

/* The report: one line per feature with yes/no as detected. */
static void check_report(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	CHECK(out != NULL, "open_memstream");
	if (!out)
		return;
	CHECK(features_report(out) == 0, "features_report failed");
	fclose(out);
	CHECK(strstr(text, "Kernel: Linux ") == text, "report does not start with the kernel: %.40s", text);
	for (int i = 0; i < FEATURE_COUNT; i++) {
		char line[64];
		snprintf(line, sizeof(line), "\n  %-16s %-4s ", feature_name((enum feature_id)i),
			 available((enum feature_id)i) ? "yes" : "no");
		CHECK(strstr(text, line) != NULL, "report lacks '%s'", line + 1);
	}
	free(text);
}

int main(void)
{
	bool root = geteuid() == 0;

	check_shape();
	check_against_kernel(root);
	check_providers();
	check_report();
	if (!root)
		printf("note: not root, the BPF-load checks were not compared\n");
	if (failures) {
		fprintf(stderr, "%d failures\n", failures);
		return 1;
	}
	printf("test_features: ok\n");
	return 0;
}
