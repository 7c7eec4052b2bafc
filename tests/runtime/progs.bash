# Building the test programs of tests/progs (sourced by lib.sh; no lock taken, nothing done but the
# builds), so that the VM lane can build them on the host before it boots (build_all_progs, called by
# tests/vm/vm_lane.sh): under TCG gcc takes about 10 s a program, and the tests build the same ones.
# Needs SRC (the source tree) and TMP (where the programs go).

# COMPILER -o OUTPUT ARGS..., or a copy of the same build from $ETRACE_TEST_CACHE (a directory; unset:
# no cache, the host lane's default). The key is the compiler, the arguments ($TMP written as @TMP@) and
# the content of every file named in them; a build is added to the cache under a temporary name and
# renamed, so concurrent tests never copy half a file.
compile_cached() { # compile_cached COMPILER OUTPUT ARGS...
	local compiler=$1 out=$2 a key; shift 2
	[ -n "${ETRACE_TEST_CACHE:-}" ] || { "$compiler" -o "$out" "$@"; return; }
	key=$(for a in "$compiler" "$@"; do printf '%s\n' "${a//$TMP/@TMP@}"; [ -f "$a" ] && sha256sum <"$a"; done |
		sha256sum | cut -c1-32)
	if [ -e "$ETRACE_TEST_CACHE/$key" ]; then
		cp "$ETRACE_TEST_CACHE/$key" "$out"
		return
	fi
	"$compiler" -o "$out" "$@" || return
	mkdir -p "$ETRACE_TEST_CACHE" && cp "$out" "$ETRACE_TEST_CACHE/$key.$$" &&
		mv "$ETRACE_TEST_CACHE/$key.$$" "$ETRACE_TEST_CACHE/$key"
	return 0
}
cc_cached() { compile_cached cc "$@"; } # cc_cached OUTPUT CC_ARGS...

# The structs of tests/progs/ptr_chain.c as a script declares them (the program has no BTF)
PTR_CHAIN_DEFS='struct etp_leaf { int8_t i8; uint8_t u8; int16_t i16; uint16_t u16; int32_t i32; uint32_t u32;
	int64_t i64; uint64_t u64; }
struct etp_node { int32_t id; struct etp_leaf *leaf; struct etp_node *next; int32_t vals[4]; }'

# Build a helper program from tests/progs into $TMP under the given name (its comm); prints its path.
build_prog() { # build_prog SOURCE_BASENAME OUTPUT_NAME [extra cc args]
	local src=$1 out=$2; shift 2
	cc_cached "$TMP/$out" -O2 "$SRC/tests/progs/$src.c" -pthread "$@" || { echo "cannot build $src"; exit 1; }
	echo "$TMP/$out"
}

# The uprobe/usdt/stack tests' programs, with frame pointers: $UT (PIE), $UT_NOPIE, $UT_LIB (linked to
# $TMP/libetr.so), $UT_O0 (-O0: usdt arguments placed differently).
build_uprobe_progs() {
	local p=$SRC/tests/progs
	cc_cached "$TMP/ut" -O2 -fno-omit-frame-pointer "$p/uprobe_target.c" "$p/uprobe_target_sem.c" || exit 1
	cc_cached "$TMP/ut_nopie" -O2 -fno-omit-frame-pointer -no-pie -fno-pie "$p/uprobe_target.c" "$p/uprobe_target_sem.c" || exit 1
	cc_cached "$TMP/ut_O0" -O0 -fno-omit-frame-pointer "$p/uprobe_target.c" "$p/uprobe_target_sem.c" || exit 1
	cc_cached "$TMP/libetr.so" -O2 -fno-omit-frame-pointer -fPIC -shared "$p/etlib.c" || exit 1
	# $ORIGIN: libetr.so sits next to it (in $TMP), also when the build comes from the cache
	cc_cached "$TMP/ut_lib" -O2 -fno-omit-frame-pointer -DWITH_LIB "$p/uprobe_target.c" "$p/uprobe_target_sem.c" \
		-L"$TMP" -letr '-Wl,-rpath,$ORIGIN' || exit 1
	UT=$TMP/ut UT_NOPIE=$TMP/ut_nopie UT_LIB=$TMP/ut_lib UT_O0=$TMP/ut_O0
}

# C++ test program (demangled names; -g for DWARF); fails quietly without a C++ compiler. Prints nothing.
build_cxx_prog() { # build_cxx_prog OUTPUT [extra c++ args]
	local out=$1; shift
	command -v c++ >/dev/null && compile_cached c++ "$out" -O2 "$@" "$SRC/tests/progs/cxx_target.cc" 2>/dev/null
}

# Every program above, into the cache (ETRACE_TEST_CACHE must be set): the VM lane's warm-up on the host.
build_all_progs() {
	local p
	for p in getppid_loop fresh_string zero_size prctl_name arrays ptr_chain sig_pending; do build_prog "$p" "$p" >/dev/null; done
	build_prog watch_target etr_watch -no-pie -fno-pie >/dev/null
	build_prog dwarf_args etr_dwarf_g -g >/dev/null
	build_prog dwarf_args etr_dwarf >/dev/null
	build_prog dwarf_args etr_dwarf_O0 -O0 -g -no-pie -fno-pie >/dev/null
	build_prog dlopen_later etr_dlopen -ldl >/dev/null
	build_uprobe_progs
	build_cxx_prog "$TMP/cxx" || true
	build_cxx_prog "$TMP/cxx_g" -g || true
}
