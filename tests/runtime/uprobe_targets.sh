# The ways of naming a uprobe/USDT target, as today's bpftrace takes them, on the uprobe test programs:
# the probe name keeps the path as written (relative, through a symlink); a file that is no ELF gets
# bpftrace's error; a wildcard in the binary path attaches in every ELF file it matches (uprobe and
# usdt, and with a function wildcard); with -p, `uprobe:*:FUNC` and `usdt:*:PROV:NAME` search the
# objects the process has mapped (a function of its shared library), also when listing, and without
# -p those of every running process; with -p of a
# process in another mount namespace (unshare -m with a tmpfs only it sees) an absolute path is read
# and attached through /proc/PID/root, and named so; usdt and uretprobe on a library the program
# dlopen()s after etrace attached.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs
snapshot_bpf

# 1. the path as written
ETRACE=$(realpath "$ETRACE") # the test runs in $TMP from here on
cd "$TMP" || exit 1
run_etrace -c "./ut 2" -e 'uprobe:./ut:et_add { @[probe] = count(); } usdt:./ut:ettest:consts { @u[probe] = count(); }'
check "a relative path stays relative in probe" grep -qxF '@[uprobe:./ut:et_add]: 2' "$ET_OUT"
check "... and in a usdt probe's name" grep -qxF '@u[usdt:./ut:ettest:consts]: 2' "$ET_OUT"
ln -s "$UT" "$TMP/ut_link"
"$ETRACE" -l "uprobe:$TMP/ut_link:et_add" >"$TMP/list"
check "-l: a symlink's path, not its target" test "$(cat "$TMP/list")" = "uprobe:$TMP/ut_link:et_add"

# 2. not an ELF file: bpftrace's error
printf '#!/bin/sh\n' >"$TMP/script.sh"
chmod +x "$TMP/script.sh"
run_etrace -e "uprobe:$TMP/script.sh:main { }"
check "a non-ELF target: bpftrace's message" \
	bash -c "test $ET_STATUS = 1 && grep -qF \"error: uprobe target file '$TMP/script.sh' does not exist or is not executable\" '$ET_ERR'"

# 3. wildcards in the binary path
mkdir -p "$TMP/w1" "$TMP/w2" "$TMP/w3"
cp "$UT" "$TMP/w1/prog"
cp "$UT" "$TMP/w2/prog"
cp "$TMP/script.sh" "$TMP/w3/prog" # matched by the pattern, not an ELF file: left out
"$ETRACE" -l "uprobe:$TMP/w*/prog:et_add" >"$TMP/list"
check "-l: a path wildcard, one probe per ELF file" \
	test "$(cat "$TMP/list")" = "uprobe:$TMP/w1/prog:et_add
uprobe:$TMP/w2/prog:et_add"
"$ETRACE" -l "uprobe:$TMP/w?/prog:et_a*" >"$TMP/list"
check "-l: path and function wildcards together" test "$(grep -c ':et_add$' "$TMP/list")" = 2
"$ETRACE" -l "usdt:$TMP/w*/prog:ettest:cons*" >"$TMP/list"
check "-l: usdt with a path wildcard" test "$(cat "$TMP/list")" = "usdt:$TMP/w1/prog:ettest:consts
usdt:$TMP/w2/prog:ettest:consts"
run_etrace -c "$TMP/w2/prog 3" -e "uprobe:$TMP/w*/prog:et_add { @[probe] = count(); }"
check "a path wildcard attaches in each: the one that ran counts 3" \
	test "$(grep '^@' "$ET_OUT")" = "@[uprobe:$TMP/w2/prog:et_add]: 3"
run_etrace -e "uprobe:$TMP/nothing*/prog:et_add { }"
check "a path wildcard that matches nothing: the error" \
	grep -qF "error: uprobe target file '$TMP/nothing*/prog' does not exist or is not executable" "$ET_ERR"

# 4. -p: uprobe:* and usdt:* search the process's mapped objects
hold_target "$UT_LIB" 2 2000
"$ETRACE" -l -p "$TARGET" 'uprobe:*:et_lib_*' >"$TMP/list" 2>&1
check "-l -p: a function of the process's library" test "$(cat "$TMP/list")" = "uprobe:$TMP/libetr.so:et_lib_mul"
"$ETRACE" -l 'uprobe:*:et_lib_mul' >"$TMP/list" 2>&1
check "-l without -p: uprobe:* searches every running process's objects" \
	test "$(cat "$TMP/list")" = "uprobe:$TMP/libetr.so:et_lib_mul"
"$ETRACE" -l -p "$TARGET" 'usdt:*:ettest:cons*' >"$TMP/list" 2>&1
check "-l -p: the process's USDT probes" test "$(cat "$TMP/list")" = "usdt:$UT_LIB:ettest:consts"
start_etrace -p "$TARGET" -e 'uprobe:*:et_lib_mul { @[probe, arg1] = count(); } usdt:*:ettest:consts { @u[arg0] = count(); }
usdt:consts { @v = count(); }'
release_target
wait_etrace
check "-p uprobe:*:FUNC: the library's function, twice" grep -qxF "@[uprobe:$TMP/libetr.so:et_lib_mul, 3]: 2" "$ET_OUT"
check "-p usdt:*:PROV:NAME: twice, its arguments" grep -qxF "@u[42]: 2" "$ET_OUT"
check "-p usdt:NAME (no binary): twice" grep -qxF '@v: 2' "$ET_OUT"

# 5. a process in another mount namespace: its /tmp/.../ns/prog exists only there (in a chroot, as in
# the VM lane's guest, the kernel names it from outside the chroot, /newroot/tmp/...: etrace takes the
# process's root off)
if ! unshare -m true 2>/dev/null; then
	echo "note: unshare -m is not allowed here: the /proc/PID/root case is left out"
else
	mkdir -p "$TMP/ns"
	rm -f "$TMP/go"
	(while [ -d "$TMP" ] && [ ! -e "$TMP/go" ]; do nap 0.05; done) |
		unshare -m --propagation private bash -c "mount -t tmpfs etr_ns '$TMP/ns' && cp '$UT' '$TMP/ns/prog' &&
			exec '$TMP/ns/prog' 2 -1 $((1000 * TIME_SCALE))" >/dev/null &
	NS=$!
	BG_PIDS+=("$NS")
	for ((i = 0; i < 200 * TIME_SCALE; i++)); do
		[[ "$(readlink "/proc/$NS/exe" 2>/dev/null)" == *"$TMP/ns/prog" ]] && break # /newroot$TMP/... in a chroot
		nap 0.05
	done
	check "the namespace's program is not on the host" test ! -e "$TMP/ns/prog"
	# (it lingers a second after its rounds, so that its stack frames can be named from its files)
	start_etrace -p "$NS" -e "uprobe:$TMP/ns/prog:et_add { @[probe] = count(); } uprobe:et_greet { @g[probe] = count(); }
		uprobe:et_inner { printf(\"frame %s\\n\", ustack(1)); }"
	release_target
	wait_etrace
	check "-p in another mount namespace: through /proc/PID/root, twice" \
		grep -qxF "@[uprobe:/proc/$NS/root$TMP/ns/prog:et_add]: 2" "$ET_OUT"
	check "... and uprobe:FUNC names the program the same way" \
		grep -qxF "@g[uprobe:/proc/$NS/root$TMP/ns/prog:et_greet]: 2" "$ET_OUT"
	check "... and ustack names its frames from the program's symbols, read through /proc/PID/root" \
		test "$(grep -A1 -x 'frame ' "$ET_OUT" | grep -c '^ *et_inner+0$')" = 2
fi


# 6. a library that the program loads with dlopen() after etrace attached: usdt and uprobe on its path
later=$(build_prog dlopen_later etr_dlopen -ldl)
run_etrace -q -c "$later $TMP/libetr.so 4" -e "usdt:$TMP/libetr.so:etlib:mul { @u[arg0, arg1] = count(); @n = count(); }
uretprobe:$TMP/libetr.so:et_lib_mul { @r = sum(retval); }"
check "the program loaded the library and summed 0+3+6+9" grep -qxF 'sum=18' "$ET_OUT"
check "usdt in a library loaded later: 4 firings" grep -qxF '@n: 4' "$ET_OUT"
check "... with their arguments" grep -qxF '@u[3, 3]: 1' "$ET_OUT"
check "uretprobe in a library loaded later: the same sum" grep -qxF '@r: 18' "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
