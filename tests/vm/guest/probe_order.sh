# Several blocks on one kernel function run in script order on every call, as bpftrace attaches them
# (kprobe, fentry, fexit newest first, so in reverse; kretprobe in order); an exit() in the second block
# comes after the first block's printf of that call.
. "$(dirname "$0")/lib.sh"
require_root
require_kprobes
require_kfunc __x64_sys_getppid
require_btf
BIN=$(build_prog getppid_loop etr_getppid)
snapshot_bpf

blocks() { grep -E '^(A|B|C)$' "$ET_OUT" | tr '\n' ' ' | sed 's/ $//'; }
# three blocks on PROBE, each printing its name for the command's getppid calls
three_blocks() { # three_blocks PROBE
	local f="/comm == \"etr_getppid\"/"
	run_etrace -c "$BIN 3" -e "$1 $f { printf(\"A\n\"); } $1 $f { printf(\"B\n\"); } $1 $f { printf(\"C\n\"); }"
}

for kind in kprobe kretprobe; do
	three_blocks "$kind:__x64_sys_getppid"
	check "$kind: three blocks in script order on each call" test "$(blocks)" = "A B C A B C A B C"
done
run_etrace -c "$BIN 3" -e 'kprobe:__x64_sys_getppid /comm == "etr_getppid"/ { printf("A\n"); }
	kprobe:__x64_sys_getppid /comm == "etr_getppid"/ { printf("B\n"); exit(); }'
check "kprobe: exit() in the second block comes after the first block's printf" test "$(blocks)" = "A B"

if "$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes'; then
	# the syscall wrappers (__x64_sys_*) are not in the kernel's BTF: do_sys_openat2 is, and cat opens
	# a few files (its libraries, the file named)
	for kind in fentry fexit; do
		f='/comm == "cat"/'
		run_etrace -c "cat /etc/hostname" -e "$kind:do_sys_openat2 $f { printf(\"A\n\"); }
			$kind:do_sys_openat2 $f { printf(\"B\n\"); } $kind:do_sys_openat2 $f { printf(\"C\n\"); }"
		check "$kind: three blocks in script order on each call" bash -c "[[ '$(blocks)' =~ ^A\ B\ C(\ A\ B\ C)*\$ ]]"
	done
else
	echo "fentry/fexit: not on this kernel (etrace --info), not checked"
fi
check "nothing left behind" nothing_left_behind
finish
