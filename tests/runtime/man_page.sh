# man/etrace.8: groff formats it without a single warning (-ww), man(1) renders it, and every long option
# and every short option `etrace --help` lists is documented in it. Needs no root.
. "$(dirname "$0")/lib.sh"
PAGE="$SRC/man/etrace.8"
command -v groff >/dev/null || skip "needs groff to check the man page"
[ -f "$PAGE" ] || { fail "man/etrace.8 exists"; finish; }

check "groff -man -ww -z: no warnings" bash -c "[ -z \"\$(groff -man -ww -z '$PAGE' 2>&1)\" ]"
if command -v man >/dev/null; then
	MANWIDTH=100 man -l -Tutf8 "$PAGE" >"$TMP/page.txt" 2>"$TMP/page.err"
	check "man -l renders it without messages" test -s "$TMP/page.txt" -a ! -s "$TMP/page.err"
fi
groff -man -Tutf8 "$PAGE" 2>/dev/null | sed 's/.\x08//g' >"$TMP/text.txt"

# the version is written once (CMakeLists.txt project(), generated into version.h, and by CMake into the
# page it installs, build/man/etrace.8); the source page names none
version=$("$ETRACE" --version | sed -n 's/^etrace v//p')
check "the source page's .TH names no version" grep -q '^\.TH ETRACE 8 "[^"]*" "etrace" ' "$PAGE"
BUILT="$(dirname "$ETRACE")/man/etrace.8"
if [ -f "$BUILT" ]; then
	check "the built page's .TH names etrace $version (etrace --version)" \
		grep -q "^\.TH ETRACE 8 .* \"etrace $version\"" "$BUILT"
	check "the built page is the source page but for .TH" \
		bash -c "diff <(grep -v '^\.TH ' '$PAGE') <(grep -v '^\.TH ' '$BUILT')"
fi

"$ETRACE" --help >"$TMP/help.txt"
check "--help is short (under 80 lines, as bpftrace's)" test "$(wc -l <"$TMP/help.txt")" -lt 80
check "--help points to the man page" grep -q "man etrace" "$TMP/help.txt"
longs=$(grep -o -- '--[a-z][a-z-]*' "$TMP/help.txt" | sort -u)
shorts=$(grep -oE -- '^ +-[a-zA-Z]' "$TMP/help.txt" | tr -d ' ' | sort -u)
check "--help lists long options" test -n "$longs"
for o in $longs $shorts; do
	# in the rendered page an option is a word of its own, at the start of a line in OPTIONS
	check "man page documents $o" grep -qE -- "(^|[ ,])$o([ ,=]|$)" "$TMP/text.txt"
	# and the bash completion offers it
	check "completion offers $o" grep -qE -- "(^|[[:space:]\"])$o([[:space:]\"]|$)" "$SRC/completion/etrace.bash"
done
for sect in NAME SYNOPSIS DESCRIPTION OPTIONS PROBES LANGUAGE FUNCTIONS "OUTPUT FORMATS" "EXIT STATUS" EXAMPLES; do
	check "section $sect" grep -q "^$sect" "$TMP/text.txt"
done
# every builtin sema knows (src/sema/builtins.def) is named in the page
for b in $(sed -n 's/^X([A-Z_]*, "\([a-z_]*\)".*/\1/p' "$SRC/src/sema/builtins.def"); do
	[ "$b" = arg ] && b=arg0
	check "builtin $b documented" grep -qw -- "$b" "$TMP/text.txt"
done
finish
