/* attach: attach every probe through its provider, detach them all, and run the begin/end programs
 * once each with BPF_PROG_TEST_RUN (they are raw_tp programs attached to nothing).
 * Attach is all or nothing: when a probe fails, the links made so far are destroyed before returning,
 * so nothing stays in the kernel. See rt_int.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../../probes/provider.h"
#include "../sema/program.h"
#include "../support/diag.h"
#include "rt_int.h"

static bool is_special(const struct et_probe_desc *p, bool *is_end)
{
	const struct et_provider *b = provider_find("begin"), *e = provider_find("end");

	*is_end = p->provider == e;
	return p->provider == b || p->provider == e;
}

static void attach_hint(struct rt_run *r, const struct et_probe_desc *p, int err)
{
	const char *why = NULL, *instead = NULL;

	if (p->provider->supported && p->provider->supported(&why, &instead) && why) {
		diag_hint(r->diag, "%s%s%s", why, instead ? "; " : "", instead ? instead : "");
		return;
	}
	if (err == -EPERM || err == -EACCES)
		diag_hint(r->diag, "run etrace as root (it needs CAP_BPF and CAP_PERFMON)");
	else if (err == -ENOENT && p->raw)
		diag_hint(r->diag, "this event is not a raw tracepoint; read args in the probe to attach it as a "
				   "tracepoint");
	else if (err == -ENOENT)
		diag_hint(r->diag, "list what exists with: etrace -l '%s:*'", p->provider->name);
}

/* Fault injection for the tests of "nothing left behind": ETRACE_TEST_FAIL_ATTACH=N makes the Nth probe
 * to attach (1-based, begin/end not counted) fail with EIO after the ones before it are attached. */
static uint32_t injected_failure(void)
{
	const char *v = getenv("ETRACE_TEST_FAIL_ATTACH");

	return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

int rt_attach(struct rt_run *r)
{
	uint32_t i, nth = 0, fail_at = injected_failure();
	int err;

	for (i = 0; i < r->prog->nprobes; i++) {
		const struct et_probe_desc *p = &r->prog->probes[i];
		bool is_end;

		if (is_special(p, &is_end))
			continue;
		if (++nth == fail_at) {
			err = -EIO;
		} else if (!p->provider->attach) {
			err = -EOPNOTSUPP;
		} else {
			errno = 0;
			err = p->provider->attach(p, r->progs[i], r->links);
		}
		if (err) {
			diag_error(r->diag, p->loc, "cannot attach %s: %s", p->name, strerror(-err));
			attach_hint(r, p, err);
			rt_detach(r);
			return err;
		}
	}
	return 0;
}

void rt_detach(struct rt_run *r)
{
	uint32_t i;

	if (!r->links)
		return;
	for (i = 0; i < r->links->count; i++)
		bpf_link__destroy(r->links->links[i]);
	free(r->links->links);
	r->links->links = NULL;
	r->links->count = r->links->cap = 0;
}

int rt_run_special(struct rt_run *r, bool end)
{
	uint32_t i;
	int first_err = 0;

	for (i = 0; i < r->prog->nprobes; i++) {
		const struct et_probe_desc *p = &r->prog->probes[i];
		LIBBPF_OPTS(bpf_test_run_opts, topts);
		bool is_end;
		int err;

		if (!is_special(p, &is_end) || is_end != end)
			continue;
		err = bpf_prog_test_run_opts(bpf_program__fd(r->progs[i]), &topts);
		if (err) {
			err = -errno;
			diag_error(r->diag, p->loc, "cannot run %s: %s", p->name, strerror(-err));
			if (!first_err)
				first_err = err;
		}
	}
	return first_err;
}
