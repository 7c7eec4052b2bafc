# iter: probes (task, task_file, task_vma): the program runs once per kernel object as etrace reads the
# iterator, its output is printed, and etrace exits by itself. A process with a known comm, pid, open fd
# and mappings is the witness: the lines about it must be exactly what /proc says. iter:NAME:PIN pins the
# iterator in bpffs, and reading the pin prints the witness's line.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
grep -q 'bpf_iter_task_vma' /proc/kallsyms || skip "the kernel has no task_vma iterator"

snapshot_bpf
cp "$(command -v sleep)" "$TMP/etiterwit"
echo marker >"$TMP/marker"
"$TMP/etiterwit" 300 </dev/null >/dev/null 2>&1 7<"$TMP/marker" &
W=$!
BG_PIDS+=("$W")
cp "$(command -v sleep)" "$TMP/etiterwit2"
"$TMP/etiterwit2" 300 </dev/null >/dev/null 2>&1 &
W2=$!
BG_PIDS+=("$W2")
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -e "/proc/$W/fd/7" ] && break; nap 0.1; done

run_etrace -e "iter:task { if (ctx->task->tgid == $W) { printf(\"%s:%d:%d\n\", ctx->task->comm, ctx->task->pid, ctx->task->tgid); } }"
check "iter:task: exits by itself (status 0)" test "$ET_STATUS" = 0
check "iter:task: the witness's comm, pid and tgid, once" test "$(grep -v '^$' "$ET_OUT")" = "etiterwit:$W:$W"
check "iter:task: says it attached one probe" grep -qx 'Attached 1 probe' "$ET_ERR"

# fd 0 is not shown: a ctx member read as 0 ends that run of the program, as in bpftrace
run_etrace -e "it:task_file { if (ctx.task.pid == $W) { printf(\"%s:%d %d:%s\n\", ctx.task.comm, ctx.task.pid, ctx.fd, path(ctx.file.f_path)); } }"
# the witness's fds as /proc has them (the harness's own inherited ones too), fd 0 left out
want=$(for f in "/proc/$W/fd/"*; do n=${f##*/}; [ "$n" = 0 ] || echo "$n etiterwit:$W $n:$(readlink "$f")"; done |
	sort -n | while read -r _ line; do echo "$line"; done)
check "iter:task_file: the witness's fd 7 is the marker file" grep -qx "etiterwit:$W 7:$(realpath "$TMP/marker")" "$ET_OUT"
check "iter:task_file: the witness's open files, fd and path" test "$(grep -v '^$' "$ET_OUT")" = "$want"

run_etrace -e "iter:task_vma { if (ctx->task->pid == $W) { printf(\"%lx-%lx\n\", ctx->vma->vm_start, ctx->vma->vm_end); } }"
want=$(grep -v '\[vsyscall\]' "/proc/$W/maps" | while read -r range _; do echo "$range"; done)
check "iter:task_vma: the witness's mappings, as /proc/PID/maps has them" test "$(grep -v '^$' "$ET_OUT")" = "$want"

# -p: the iterator walks that process only
run_etrace -p "$W" -e 'iter:task { printf("%s %d\n", ctx->task->comm, ctx->task->tgid); }'
check "iter:task -p PID: that process's task only" test "$(grep -v '^$' "$ET_OUT")" = "etiterwit $W"

# exit() does not cut the iteration short (bpftrace prints the whole iterator's output)
# (tasks come in pid order)
run_etrace -e "iter:task { if (ctx->task->tgid == $W || ctx->task->tgid == $W2) { printf(\"%s\n\", ctx->task->comm); exit(); } }"
want=$(printf 'etiterwit\netiterwit2'); [ "$W" -lt "$W2" ] || want=$(printf 'etiterwit2\netiterwit')
check "iter:task: exit() lets the iteration finish" test "$(grep -v '^$' "$ET_OUT")" = "$want"

# maps are printed at the end, as after any run
run_etrace -e "iter:task { if (ctx->task->tgid == $W) { @c[ctx->task->comm] = count(); } }"
check "iter:task: maps printed at the end" grep -qx '@c\[etiterwit\]: 1' "$ET_OUT"

# iter:NAME:PIN: the link pinned in bpffs (a private mount here; a relative pin goes under /sys/fs/bpf),
# "Program pinned to PATH" and exit; each read of the pin runs the program, whose printf writes to the
# reader (the kernel's seq_printf, as bpftrace); removing the pin frees it all
mkdir "$TMP/bpffs"
if mount -t bpf bpf "$TMP/bpffs" 2>/dev/null; then
	trap 'rm -f "$TMP/bpffs/"* 2>/dev/null; umount "$TMP/bpffs"; cleanup' EXIT
	run_etrace -e "iter:task:$TMP/bpffs/tasks { if (ctx->task->tgid == $W) { printf(\"%s:%d:%d|%5d|%-4s|%lx\n\", ctx->task->comm, ctx->task->pid, ctx->task->tgid, -42, \"ab\", 255); } }"
	check "iter:task:PIN: exits by itself (status 0)" test "$ET_STATUS" = 0
	check "iter:task:PIN: says where, as bpftrace" test "$(grep -v '^$' "$ET_OUT")" = "Program pinned to $TMP/bpffs/tasks"
	check "iter:task:PIN: the pin is there after etrace exited" test -e "$TMP/bpffs/tasks"
	want="etiterwit:$W:$W|  -42|ab  |ff"
	check "iter:task:PIN: reading the pin prints the witness's line" test "$(cat "$TMP/bpffs/tasks")" = "$want"
	check "iter:task:PIN: a second read prints it again" test "$(cat "$TMP/bpffs/tasks")" = "$want"
	rm -f "$TMP/bpffs/tasks"
	check "iter:task:PIN: nothing left once the pin is removed" nothing_left_behind
	# a pin outside a BPF filesystem: refused, nothing pinned, nothing left
	run_etrace -e "iter:task:$TMP/tasks { printf(\"x\n\"); }"
	check "iter:task:PIN outside bpffs: an error (exit 1) naming the path" \
		bash -c "test '$ET_STATUS' = 1 && grep -qF 'cannot pin the iterator at $TMP/tasks' '$ET_ERR' && test ! -e '$TMP/tasks'"
	if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ]; then
		pin=etr_iter_pin_$$
		run_etrace -e "iter:task_file:$pin { if (ctx->task->pid == $W && ctx->fd == 7) { printf(\"%d %s\n\", ctx->fd, path(ctx->file->f_path)); } }"
		check "iter:task_file:PIN (relative): pinned under /sys/fs/bpf" grep -qxF "Program pinned to /sys/fs/bpf/$pin" "$ET_OUT"
		check "iter:task_file:PIN: reading it: the witness's fd 7, with its path" \
			test "$(cat "/sys/fs/bpf/$pin" 2>&1)" = "7 $(realpath "$TMP/marker")"
		rm -f "/sys/fs/bpf/$pin"
		check "iter:task_file:PIN: nothing left once the pin is removed" nothing_left_behind
	fi
else
	echo "note: cannot mount a BPF filesystem here: iter:NAME:PIN left out"
fi

# listing: the kernel's iterators, sorted, without the verifier's __safe_trusted variants
"$ETRACE" -l 'iter:*' >"$TMP/list" 2>&1
check "-l 'iter:*' lists task, task_file and task_vma" bash -c "grep -qx 'iter:task' '$TMP/list' && grep -qx 'iter:task_file' '$TMP/list' && grep -qx 'iter:task_vma' '$TMP/list'"
check "-l 'iter:*' is sorted, one iter:NAME a line" bash -c "sort -c '$TMP/list' && ! grep -qv '^iter:[a-z0-9_]*\$' '$TMP/list' && ! grep -q safe_trusted '$TMP/list'"
check "-lv 'it:task_file': ctx's members, less meta" test "$("$ETRACE" -lv 'it:task_file' 2>&1)" = "$(printf 'iter:task_file\n    struct task_struct *task\n    u32 fd\n    struct file *file')"

check "nothing left behind" nothing_left_behind
finish
