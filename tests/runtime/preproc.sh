# The C preprocessor on real events: a tracepoint counts a child's openat(2) calls whose flags have
# O_CREAT, the constant taken from <fcntl.h> (the system's header) through #include, filtered by a
# function-like #define, an #ifdef on BPFTRACE_HAVE_BTF choosing the active branch, a quoted header beside
# the script (a guard, a macro, an enum's enumerators) and -I / --include. The child makes exactly 7 such
# calls and 5 with O_DIRECTORY (the dynamic loader's opens have neither), so the counts are exact; the printed constants are the header's values.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_openat
[ -r /usr/include/fcntl.h ] || skip "the libc headers (/usr/include/fcntl.h) are not installed"
prog=$(build_prog open_flags etr_openflags)
snapshot_bpf

mkdir -p "$TMP/scripts" "$TMP/inc" "$TMP/files"
cat >"$TMP/scripts/local.h" <<'H'
#ifndef LOCAL_H
#define LOCAL_H
#define COMM "etr_openflags"
enum which { W_NONE, W_CREATE = 40, W_OTHER };
#endif
H
echo '#define FROM_I_DIR 1000' >"$TMP/inc/idir.h"
echo '#define FROM_INCLUDE 2000' >"$TMP/forced.h"
cat >"$TMP/scripts/creat.bt" <<'S'
#include <fcntl.h>
#include "local.h"
#include <idir.h>
#define HAS(flags, bit) (((flags) & (bit)) != 0)
#ifndef BPFTRACE_HAVE_BTF
#error etrace always has BTF
#else
#define KIND W_CREATE
#endif
#if O_CREAT != 0100 || !defined(O_WRONLY)
#define KIND W_NONE
#endif
tracepoint:syscalls:sys_enter_openat /comm == COMM/ {
	if (HAS(args.flags, O_CREAT)) {
		@creat[KIND] = count();
	} else if (HAS(args.flags, O_DIRECTORY)) {
		@other[W_OTHER] = count();
	}
}
END { printf("O_CREAT=%d O_WRONLY=%d O_TRUNC=%d sum=%d\n", O_CREAT, O_WRONLY, O_TRUNC, FROM_I_DIR + FROM_INCLUDE); }
S
start_etrace -I "$TMP/inc" --include "$TMP/forced.h" "$TMP/scripts/creat.bt" || { fail "attach"; finish; }
"$prog" "$TMP/files" 7 5
stop_etrace INT
check "exit status 0" test "$ET_STATUS" = 0
check "no diagnostics" bash -c "! grep -E 'error|warning' '$ET_ERR'"
check "O_CREAT opens counted under the enumerator's value (7 at key 40)" grep -qx '@creat\[40\]: 7' "$ET_OUT"
check "O_DIRECTORY opens counted under W_OTHER (5 at key 41)" grep -qx '@other\[41\]: 5' "$ET_OUT"
check "the header's constants (octal 0100, 01, 01000) and the -I / --include macros" \
	grep -qx 'O_CREAT=64 O_WRONLY=1 O_TRUNC=512 sum=3000' "$ET_OUT"
cat "$ET_OUT" "$ET_ERR"
check "nothing left behind" nothing_left_behind

# where macros expand: identifiers that are expressions only (as bpftrace), never an attach point, a
# member name, a struct tag, a variable, a map or a string's text
cat >"$TMP/scripts/where.bt" <<'S'
#define sys_enter_openat nope
#define WANT 7
#define flags nope
#define task nope
#define a nope
#define m nope
tracepoint:syscalls:sys_enter_openat /WANT == 7/ { @m[WANT] = args.flags; $a = sizeof(struct task); printf("pid a m\n"); }
S
"$ETRACE" --dump-ast "$TMP/scripts/where.bt" >"$TMP/where.out" 2>&1
check "--dump-ast of the placement script: exit 0" test $? = 0
check "only the expression identifiers expanded" bash -c "tr -d '\n ' <'$TMP/where.out' | grep -qxF \
	'tracepoint:syscalls:sys_enter_openat/(7==7)/{@m[7]=args.flags;\$a=sizeof(structtask);printf(\"pidam\\n\");}'"
cat "$TMP/where.out"

# an error inside a macro's expansion points at its use in the script, and nothing attaches
printf '#define BAD(x) ((x) +)\nBEGIN {\n\tprint(BAD(1));\n}\n' >"$TMP/scripts/bad.bt"
"$ETRACE" "$TMP/scripts/bad.bt" >"$TMP/bad.out" 2>"$TMP/bad.err"
check "a bad expansion: exit 1" test $? = 1
check "a bad expansion: located at the macro's use (line 3, column 8)" grep -q "^$TMP/scripts/bad.bt:3:8: error:" "$TMP/bad.err"
check "nothing left behind (refused script)" nothing_left_behind
finish
