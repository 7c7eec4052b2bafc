# Scripts never make etrace read files they were not given: file names inside a script (comments, string
# literals, printf arguments, str() of a literal, system() without --unsafe) are never opened, and
# cat()'s file only when its probe runs; an #include reads the header it names and nothing else, an import of a kind etrace refuses
# (.bpf.c, .txt) opens nothing. Under strace, etrace opens only: the script file, in-memory copies of -e
# and stdin scripts (/dev/fd/N), BTF, tracefs, sysfs and procfs, its shared libraries, the time zone
# (time()), and the binaries named in probes (uprobe:BINARY:...). Nothing is left behind.
# An #include's header must exist, as in bpftrace ("file not found"): a missing one is refused, having
# been looked up with stat(2) only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
require_tracepoint syscalls
command -v strace >/dev/null || skip "strace is not installed"
build_uprobe_progs
snapshot_bpf

ETRACE=$(realpath "$ETRACE") # the scripts run in another working directory
# LeakSanitizer cannot run under ptrace (the sanitizer lane): leaks are checked by the other tests
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# files the scripts name; they exist and are readable, so an open of them would succeed
mkdir -p "$TMP/work"
echo 'int secret_in_cwd;' >"$TMP/work/secret_rel.h"
echo 'int secret_c(void) { return 1; }' >"$TMP/work/secret_rel.bpf.c"
echo 'secret' >"$TMP/work/secret_rel.txt"
echo 'int secret_abs;' >"$TMP/secret_abs.h"
cd "$TMP/work" || exit 1

# the opens etrace made (strace -f: every thread and child), one path per line
traced() { # traced LOG -- ETRACE_ARGS... ; sets ET_STATUS ET_ERR
	local log=$1; shift 2
	ET_ERR="$TMP/err.$RANDOM"
	timeout -s INT 30 strace -f -qq -e trace=open,openat,openat2,creat -o "$log" "$ETRACE" "$@" >"$TMP/out" 2>"$ET_ERR"
	ET_STATUS=$?
	sed -n 's/^[0-9]* *\(open\|openat\|openat2\|creat\)([^"]*"\([^"]*\)".*/\2/p' "$log" | sort -u >"$log.paths"
}
etrace_bin=$(realpath "$ETRACE")
allowed() { # allowed PATHS_FILE SCRIPT [BINARY...]: every opened path is one etrace may open
	local paths=$1 script=$2; shift 2
	local extra="" b
	for b in "$@"; do extra+="|$(realpath "$b" | sed 's/[.[\*^$()+?{|]/\\&/g')"; done
	local bad
	bad=$(grep -vxE "($script|/dev/fd/[0-9]+|/dev/null|/sys/.*|/proc/.*|/etc/ld\.so\.cache|/etc/localtime|/usr/share/zoneinfo/.*|(/usr)?/lib(64|/x86_64-linux-gnu)?/[^/]*\.so[.0-9]*|$etrace_bin$extra)" "$paths")
	[ -z "$bad" ] && return 0
	echo "unexpected opens:"; echo "$bad"
	return 1
}
no_named_file() { # no_named_file PATHS_FILE: none of the files the scripts name was opened
	! grep -E 'secret|shadow|sched\.h|/usr/include|linux/' "$1"
}

read -r -d '' BODY <<EOF
// #include "secret_rel.h" in a comment
// $TMP/secret_abs.h and /etc/shadow, named in a comment
/* secret_rel.h */
tracepoint:syscalls:sys_enter_getppid /comm == "/etc/shadow"/ { printf("%s\n", "$TMP/secret_abs.h"); }
uprobe:$UT:et_add { @calls[str("secret_rel.h")] = count(); }
BEGIN { printf("%s %s\n", "/etc/shadow", str("$TMP/secret_abs.h")); time("%H:%M\n"); exit(); }
EOF
printf '%s\n' "$BODY" >"$TMP/script.bt"

traced "$TMP/file.log" -- "$TMP/script.bt"
check "script file: runs (exit 0)" test "$ET_STATUS" = 0
[ "$ET_STATUS" = 0 ] || cat "$ET_ERR"
check "script file: strace saw the script opened (the trace works)" grep -qxF "$TMP/script.bt" "$TMP/file.log.paths"
check "script file: the uprobe's binary, named in a probe, is opened" grep -qxF "$(realpath "$UT")" "$TMP/file.log.paths"
check "script file: no file named inside the script is opened" no_named_file "$TMP/file.log.paths"
cat "$TMP/file.log.paths"
check "script file: only files etrace may open" allowed "$TMP/file.log.paths" "$TMP/script\.bt" "$UT"

traced "$TMP/e.log" -- -e "$BODY"
check "-e: runs (exit 0)" test "$ET_STATUS" = 0
check "-e: no file named inside the script is opened" no_named_file "$TMP/e.log.paths"
check "-e: only files etrace may open (no file named 'etrace' or '-e' in the working directory)" \
	allowed "$TMP/e.log.paths" "/nonexistent" "$UT"
: >"$TMP/work/etrace"
traced "$TMP/e2.log" -- -e 'BEGIN { exit(); }'
check "-e: a file named 'etrace' in the working directory is not read" bash -c "! grep -qx 'etrace' '$TMP/e2.log.paths'"

ET_ERR="$TMP/err.stdin"
timeout -s INT 30 strace -f -qq -e trace=open,openat,openat2,creat -o "$TMP/stdin.log" "$ETRACE" - <"$TMP/script.bt" >/dev/null 2>"$ET_ERR"
check "stdin: runs (exit 0)" test $? = 0
sed -n 's/^[0-9]* *\(open\|openat\|openat2\|creat\)([^"]*"\([^"]*\)".*/\2/p' "$TMP/stdin.log" | sort -u >"$TMP/stdin.log.paths"
check "stdin: no file named inside the script is opened (nor a file named '-')" \
	bash -c "! grep -qE 'secret|shadow|sched\.h|^-\$' '$TMP/stdin.log.paths'"

# #include reads the headers it names (as bpftrace's clang does), and only those
traced "$TMP/inc.log" -- -e $'#include "secret_rel.h"\n#include "'"$TMP"$'/secret_abs.h"\nBEGIN { exit(); }'
check "#include: runs (exit 0)" test "$ET_STATUS" = 0
check "#include: the quoted header of the working directory is read" grep -qxF "secret_rel.h" "$TMP/inc.log.paths"
check "#include: the header named by its path is read" grep -qxF "$TMP/secret_abs.h" "$TMP/inc.log.paths"
check "#include: nothing else" allowed "$TMP/inc.log.paths" "secret_rel\\.h" "$TMP/secret_abs.h"

# Functions that would read a named file are refused before anything is opened.
rejected() { # rejected DESCRIPTION PROGRAM EXPECTED_ERROR_TEXT
	traced "$TMP/r.log" -- -e "$2"
	check "$1: refused (exit 1)" test "$ET_STATUS" = 1
	check "$1: says why" grep -qF -- "$3" "$ET_ERR"
	check "$1: the named file is not opened" no_named_file "$TMP/r.log.paths"
}
# cat() reads its file when its probe fires, as in bpftrace: not when the script compiles
traced "$TMP/cat.log" -- -e 'tracepoint:syscalls:sys_enter_getppid /0/ { cat("secret_rel.h"); } BEGIN { exit(); }'
check "cat() in a probe that never fires: runs (exit 0)" test "$ET_STATUS" = 0
check "cat() in a probe that never fires: its file is not opened" no_named_file "$TMP/cat.log.paths"
traced "$TMP/cat2.log" -- -e 'BEGIN { cat("secret_rel.h"); exit(); }'
check "cat() in BEGIN: its file is opened when BEGIN runs" grep -qxF "secret_rel.h" "$TMP/cat2.log.paths"
rejected "system() without --unsafe" 'BEGIN { system("cat secret_rel.h"); exit(); }' "--unsafe"
rejected "#include of a missing header" $'#include "secret_missing.h"\nBEGIN { exit(); }' "error: header 'secret_missing.h' not found"
rejected "import of a BPF C file" "import \"secret_rel.bpf.c\"; BEGIN { exit(); }" "needs a C compiler"
rejected "import of a file of another kind" "import \"secret_rel.txt\"; BEGIN { exit(); }" "unknown import type"
rejected "a tracepoint name leading out of tracefs" 'tracepoint:syscalls:../../../../../etc/shadow { exit(); }' "is not a tracepoint name"
cd "$SRC" || exit 1
check "nothing left behind" nothing_left_behind
finish
