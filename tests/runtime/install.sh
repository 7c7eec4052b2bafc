# `cmake --install` (make install) with DESTDIR into a temporary root: the binary, the man page, every
# example and the bash completion land in the usual places and work from there. Needs no root.
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$ETRACE")" && pwd)
[ -f "$BUILD/cmake_install.cmake" ] || skip "$BUILD is not a CMake build directory"
ROOT="$TMP/root"
DESTDIR="$ROOT" cmake --install "$BUILD" --prefix /usr/local >"$TMP/install.log" 2>&1
check "cmake --install with DESTDIR succeeds" test $? = 0
P="$ROOT/usr/local"
check "bin/etrace installed and runs" bash -c "'$P/bin/etrace' --version | grep -q '^etrace v'"
check "share/man/man8/etrace.8 installed" test -f "$P/share/man/man8/etrace.8"
version=$("$ETRACE" --version | sed -n 's/^etrace v//p')
check "the installed page's .TH names etrace $version" \
	grep -q "^\.TH ETRACE 8 .* \"etrace $version\"" "$P/share/man/man8/etrace.8"
if command -v man >/dev/null; then
	check "the installed page renders with man" bash -c "MANWIDTH=80 man -l '$P/share/man/man8/etrace.8' 2>/dev/null | grep -q '^NAME'"
fi
n_src=$(ls "$SRC"/examples/*.et | wc -l)
n_inst=$(ls "$P"/share/etrace/examples/*.et 2>/dev/null | wc -l)
check "every example installed ($n_inst of $n_src) in share/etrace/examples" test "$n_inst" = "$n_src" -a "$n_src" -gt 0
check "installed examples are executable" bash -c "for f in '$P'/share/etrace/examples/*.et; do [ -x \"\$f\" ] || exit 1; done"
C="$P/share/bash-completion/completions/etrace"
check "bash completion installed in share/bash-completion/completions/etrace" test -f "$C"
# the completion function answers: options, -f arguments
out=$(bash -c "source '$C'; COMP_WORDS=(etrace -f ''); COMP_CWORD=2; _etrace; echo \"\${COMPREPLY[*]}\"")
check "completion of 'etrace -f ' offers text json (got '$out')" test "$out" = "text json"
out=$(bash -c "source '$C'; COMP_WORDS=(etrace --no-w); COMP_CWORD=1; _etrace; echo \"\${COMPREPLY[*]}\"")
check "completion of 'etrace --no-w' gives --no-warnings (got '$out')" test "$out" = "--no-warnings"
finish
