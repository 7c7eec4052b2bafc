/* builtins_kernel: the checks of the builtins that need a kernel feature or --unsafe, as bpftrace's
 * stdlib defines them: write_user, override, socket_cookie, skboutput, percpu_kaddr and kfunc_allowed.
 * Each says at the call, when the kernel or the probe cannot give what it needs, which feature is
 * missing and what to use instead. */
#include <string.h>

#include <linux/bpf.h>
#include <bpf/btf.h>

#include "kernel/btf.h"
#include "probes/provider.h"
#include "kernel/features.h"
#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

/* Does the kernel let every program of this body call helper (BPF_FUNC_*)? Else a located error naming
 * the helper, why and what to use instead. */
static bool helper_allowed(struct sema *s, struct ast_node *n, int helper, const char *name, const char *why,
			   const char *instead)
{
	for (uint32_t i = 0; s->probe && i < s->probe->info->count; i++) {
		const struct et_probe_desc *d = &s->prog->probes[s->probe->info->first + i];

		if (d->section && !kernel_helper_allowed(d->section, helper)) {
			sema_error(s, n->loc, "%s() needs the BPF helper %s, which this kernel refuses in the program of %s (%s)",
				   n->u.call.name, name, d->name, why);
			sema_hint(s, "%s", instead);
			return false;
		}
	}
	return true;
}

/* write_user(dst, src, len): bpf_probe_write_user(dst, &src, len) == 0 (bpftrace's stdlib macro).
 * src is a value the program holds (a string, array, struct or tuple: its bytes); a constant len may not
 * pass its size, a computed one is cut to it (codegen). sema_call.index = src's size. */
struct et_type *check_write_user(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct et_type *dst, *src;
	int64_t len;
	bool ok = bi_unsafe_check(s, n);

	dst = bi_kind_arg(s, n, 0, bi_is_address, "a user-space address (a pointer or an integer)");
	src = bi_value_arg(s, n, 1);
	ok = bi_int_arg(s, n, 2, NULL) && ok;
	if (!dst || sema_is_none(src) || !ok)
		return s->t_none;
	if (src->kind != ET_STRING && src->kind != ET_ARRAY && src->kind != ET_STRUCT && src->kind != ET_TUPLE &&
	    src->kind != ET_RECORD) {
		sema_error(s, args->items[1]->loc, "write_user(): the source must be bytes the program holds (a string, "
			   "an array, a struct or a tuple; %s provided)", sema_tname(s, src));
		sema_hint(s, "put the bytes in a variable first, e.g. $new = \"/tmp/x\"; write_user(dst, $new, 7)");
		return s->t_none;
	}
	if (sema_const_int(s, args->items[2], &len) && (len < 0 || (uint64_t)len > src->size)) {
		sema_error(s, args->items[2]->loc, "write_user(): %lld bytes written, but the source (%s) has %u",
			   (long long)len, sema_tname(s, src), src->size);
		sema_hint(s, "write at most the source's size: write_user(dst, src, sizeof(src))");
		return s->t_none;
	}
	if (!helper_allowed(s, n, BPF_FUNC_probe_write_user, "bpf_probe_write_user",
			    "kernel lockdown forbids it, or the kernel was built without it",
			    "nothing writes user memory under lockdown; signal() or system() can act on the process instead"))
		return s->t_none;
	c->index = (int)src->size;
	return s->t_bool;
}

/* override(rc): bpf_override_return(ctx, rc) in a kprobe (bpftrace's stdlib macro and its errors). The
 * kernel allows it only with CONFIG_BPF_KPROBE_OVERRIDE, on functions marked ALLOW_ERROR_INJECTION:
 * elsewhere the kernel refuses the program when it loads or attaches. */
struct et_type *check_override(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t;

	(void)c;
	for (uint32_t i = 0; s->probe && i < s->probe->nproviders; i++) {
		if (!(s->probe->providers[i]->flags & PROVIDER_OVERRIDE)) {
			sema_error(s, n->loc, "override() can only be used inside kprobes");
			sema_hint(s, "override() replaces the return value of a kernel function: kprobe:FUNC { override(-5); }");
			return s->t_none;
		}
	}
	if (!s->probe) {
		sema_error(s, n->loc, "override() can only be used inside kprobes");
		return s->t_none;
	}
	if (!bi_unsafe_check(s, n))
		return s->t_none;
	t = bi_value_arg(s, n, 0);
	if (sema_is_none(t))
		return s->t_none;
	if (t->kind != ET_INT) {
		sema_error(s, a->loc, "override() only supports int arguments (%s provided)", sema_tname(s, t));
		return s->t_none;
	}
	if (!helper_allowed(s, n, BPF_FUNC_override_return, "bpf_override_return",
			    "it needs a kernel built with CONFIG_BPF_KPROBE_OVERRIDE",
			    "without it a return value cannot be changed; trace the function with kretprobe instead"))
		return s->t_none;
	return s->t_void;
}

/* Does every probe of this body run as a BPF_PROG_TYPE_TRACING program with a BTF-typed context
 * (fentry/fexit, or a rawtracepoint attached as tp_btf), where the kernel gives bpf_get_socket_cookie a
 * struct sock pointer and bpf_skb_output a struct sk_buff one? */
static bool tracing_only(struct sema *s)
{
	if (!s->probe || !s->probe->info->count)
		return false;
	for (uint32_t i = 0; i < s->probe->info->count; i++) {
		const struct et_probe_desc *d = &s->prog->probes[s->probe->info->first + i];

		if (!d->provider || !d->btf_ctx || strncmp(d->section, "raw_tp", 6) == 0)
			return false;
	}
	return true;
}

/* socket_cookie(struct sock *sk): bpf_get_socket_cookie(sk), the socket's 64-bit cookie. */
struct et_type *check_socket_cookie(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = bi_value_arg(s, n, 0);

	(void)c;
	if (sema_is_none(t))
		return s->t_none;
	if (t->kind != ET_POINTER || !t->elem || t->elem->kind != ET_STRUCT) {
		sema_error(s, a->loc, "socket_cookie() only supports 'struct sock *' as the argument (%s provided)",
			   sema_tname(s, t));
		return s->t_none;
	}
	if (!t->elem->name || strcmp(t->elem->name, "struct sock") != 0) {
		sema_error(s, a->loc, "socket_cookie() only supports 'struct sock *' as the argument ('%s *' provided)",
			   t->elem->name ? t->elem->name : "struct");
		sema_hint(s, "cast it if it is a socket: socket_cookie((struct sock *)p)");
		return s->t_none;
	}
	if (!tracing_only(s)) {
		sema_error(s, n->loc, "socket_cookie() needs bpf_get_socket_cookie on a BTF-typed socket, which the kernel "
			   "allows only in fentry/fexit probes and BTF-typed raw tracepoints (tp_btf)");
		sema_hint(s, "e.g. fentry:tcp_rcv_established or rawtracepoint:inet_sock_set_state { "
			  "socket_cookie(args.sk) }");
		return s->t_none;
	}
	return s->t_u64;
}

/* skboutput("path", struct sk_buff *skb, length, offset): bpf_skb_output() sends length bytes of the
 * packet to the runtime, which writes them from offset on into the pcap file path (bpftrace's uint32
 * result: 0, or the helper's negative error). Only in probes whose skb the verifier knows as a BTF-typed
 * sk_buff; path and offset are fixed when the script compiles (prog->skb_outputs, sema_call.index). */
struct et_type *check_skboutput(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct et_program *p = s->prog;
	struct et_type *skb;
	int64_t offset = 0;
	bool ok = true;

	sema_expr(s, args->items[0]);
	if (!bi_is_string_lit(args->items[0])) {
		sema_error(s, args->items[0]->loc, "skboutput() expects the pcap file's path as a string literal");
		sema_hint(s, "e.g. skboutput(\"out.pcap\", args.skb, args.skb->len, 0)");
		ok = false;
	}
	skb = bi_value_arg(s, n, 1);
	if (!sema_is_none(skb) && (skb->kind != ET_POINTER || !skb->elem || skb->elem->kind != ET_STRUCT ||
				    !skb->elem->name || strcmp(skb->elem->name, "struct sk_buff") != 0)) {
		sema_error(s, args->items[1]->loc, "skboutput() only supports 'struct sk_buff *' as the packet (%s provided)",
			   sema_tname(s, skb));
		sema_hint(s, "pass the probe's packet argument, e.g. args.skb in fentry:__dev_queue_xmit");
		ok = false;
	}
	ok = bi_int_arg(s, n, 2, NULL) && ok;
	if (!bi_const_arg(s, n, 3, &offset, "the offset (argument 4)")) {
		ok = false;
	} else if (offset < 0) {
		sema_error(s, args->items[3]->loc, "skboutput(): the offset must not be negative (%lld provided)",
			   (long long)offset);
		ok = false;
	}
	if (!ok || sema_is_none(skb))
		return s->t_none;
	if (!tracing_only(s)) {
		sema_error(s, n->loc, "skboutput() needs bpf_skb_output on a BTF-typed sk_buff, which the kernel "
			   "allows only in fentry/fexit probes and BTF-typed raw tracepoints (tp_btf)");
		sema_hint(s, "e.g. fentry:__dev_queue_xmit { skboutput(\"out.pcap\", args.skb, args.skb->len, 14); }");
		return s->t_none;
	}
	/* calls with the same path and offset are one entry (as a body analysed again finds itself) */
	const char *path = args->items[0]->u.string.bytes;
	uint32_t i;

	for (i = 0; i < p->nskb_outputs; i++)
		if (strcmp(p->skb_outputs[i].path, path) == 0 && p->skb_outputs[i].offset == (uint64_t)offset)
			break;
	if (i == p->nskb_outputs) {
		p->skb_outputs = arena_grow(p->arena, p->skb_outputs, p->nskb_outputs, p->nskb_outputs + 1,
					    sizeof(*p->skb_outputs));
		p->skb_outputs[p->nskb_outputs++] = (struct et_skb_output){
			.path = arena_strdup(p->arena, path), .offset = (uint64_t)offset, .loc = n->loc};
	}
	c->index = (int)i;
	return type_int(s->arena, 4, false);
}

/* percpu_kaddr("name"[, cpu]): the address of the per-CPU variable's copy for that CPU (the current one
 * without cpu), 0 for a CPU past the last possible one. bpftrace calls bpf_per_cpu_ptr/bpf_this_cpu_ptr
 * on a typed ksym, which the kernel resolves with its kallsyms; etrace does the kernel's per_cpu_ptr()
 * arithmetic itself from the same symbols: the variable's address plus __per_cpu_offset[cpu] (read with
 * bpf_probe_read_kernel). The variable must be in BTF (as bpftrace checks) and both symbols in
 * /proc/kallsyms. The variable's address goes in the argument's sym (struct sema_const), the array's in
 * sema_call.expr's (an integer literal node). */
struct et_type *check_percpu_kaddr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	const struct btf *btf = btf_vmlinux();
	struct sema_const *k;
	uint64_t var, offsets;
	bool ok = true;

	if (!bi_is_string_lit(a)) {
		sema_expr(s, a);
		sema_error(s, a->loc, "percpu_kaddr() expects the per-CPU variable's name as a string literal");
		sema_hint(s, "e.g. percpu_kaddr(\"process_counts\")");
		ok = false;
	}
	if (n->u.call.args.count > 1)
		ok = bi_int_arg(s, n, 1, NULL) && ok;
	if (!ok)
		return s->t_none;
	a->type = type_string(s->arena, a->u.string.len + 1);
	if (!btf || btf__find_by_name_kind(btf, a->u.string.bytes, BTF_KIND_VAR) <= 0) {
		sema_error(s, a->loc, "Could not resolve variable \"%s\" from BTF", a->u.string.bytes);
		sema_hint(s, "percpu_kaddr() takes a per-CPU variable of the kernel (bpftool btf dump file "
			  "/sys/kernel/btf/vmlinux | grep VAR lists them)");
		return s->t_none;
	}
	if (bi_kallsyms_addr(a->u.string.bytes, &var) || bi_kallsyms_addr("__per_cpu_offset", &offsets)) {
		sema_error(s, a->loc, "percpu_kaddr(): /proc/kallsyms has no address for \"%s\" (this kernel lists only "
			   "its functions there: CONFIG_KALLSYMS_ALL is not set, or etrace is not root)",
			   a->u.string.bytes);
		sema_hint(s, "reach the data through a probe's arguments or curtask instead; percpu_kaddr() works on "
			  "kernels built with CONFIG_KALLSYMS_ALL");
		return s->t_none;
	}
	k = arena_alloc(s->arena, sizeof(*k));
	k->value = (int64_t)var;
	a->sym = k;
	c->expr = ast_new_int(s->arena, n->loc, offsets, true);
	sema_expr(s, c->expr);
	return s->t_u64;
}

/* kfunc_allowed("name"): whether a program of this probe's type may call the kernel function (bpftrace's
 * builtin, decided for the first attach point by a test load when the script compiles). */
struct et_type *check_kfunc_allowed(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	const struct et_probe_desc *d;

	if (!bi_is_string_lit(a)) {
		sema_expr(s, a);
		sema_error(s, a->loc, "kfunc_allowed() accepts a string literal only");
		sema_hint(s, "write the kernel function's name in quotes, e.g. kfunc_allowed(\"bpf_task_from_pid\")");
		return s->t_none;
	}
	a->type = type_string(s->arena, a->u.string.len + 1);
	if (!s->probe || !s->probe->info->count) {
		sema_error(s, n->loc, "kfunc_allowed() can only be used inside of a probe");
		return s->t_none;
	}
	d = &s->prog->probes[s->probe->info->first];
	c->expr = ast_new_bool(s->arena, n->loc, d->section && kernel_kfunc_allowed(a->u.string.bytes, d->section));
	return sema_expr(s, c->expr);
}
