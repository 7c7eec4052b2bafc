#!/bin/sh
# run-parse.sh: golden tests of the etrace front end.
# Usage: tests/run-parse.sh PATH/TO/parse_tool
#   ok/*.et     must parse without diagnostics; stdout must equal ok/NAME.ast; the dump must parse again
#               to the same dump (round trip).
#   bad/*.et    must fail (exit 1); stderr must equal bad/NAME.err exactly (run from tests/parse/bad, so
#               locations read NAME.et:LINE:COL).
#   roundtrip/*.et  (tests/roundtrip) must parse, and dump(parse(dump)) must equal the dump.
#   attach/*.et `parse_tool -p` (attach points split into parts) must equal attach/NAME.parts.
#   walk/*.et   `parse_tool -w` (ast_walk's visiting order, with locations) must equal walk/NAME.walk.
#   same.txt    lines "A.et B.et": the two ok/ scripts must dump to identical text.
# UPDATE=1 rewrites the .ast/.err files from the tool's output (read them before committing!).
# Prints one line per failure and ends with "parse: N passed, M failed"; exit status 1 on any failure.
set -u
tool=${1:?usage: run-parse.sh PATH/TO/parse_tool}
case $tool in /*) ;; *) tool=$(pwd)/$tool ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

roundtrip() { # $1 = dump file, $2 = test name
	if ! "$tool" "$1" >"$tmp/again" 2>"$tmp/again.err"; then
		bad "$2: the dump does not parse again:"; sed 's/^/    /' "$tmp/again.err" | head -20
	elif ! cmp -s "$1" "$tmp/again"; then
		bad "$2: round trip changed the dump:"; diff -u "$1" "$tmp/again" | head -20
	else
		ok
	fi
}

# tool_golden DIR FLAG EXT DIFFERS: each parse/DIR/NAME.et through `parse_tool FLAG` must exit 0 and print
# parse/DIR/NAME.EXT (DIFFERS says so in a failure: "parts differ")
tool_golden() {
	cd "$here/parse/$1" || exit 1
	for f in *.et; do
		name=${f%.et}
		"$tool" "$2" "$f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "${UPDATE:-}" = 1 ] && [ $rc = 0 ]; then cp "$tmp/out" "$name.$3"; fi
		if [ $rc != 0 ]; then
			bad "$1/$f: exit $rc:"; sed 's/^/    /' "$tmp/err" | head -20; continue
		fi
		if cmp -s "$tmp/out" "$name.$3"; then ok; else bad "$1/$f: $4:"; diff -u "$name.$3" "$tmp/out" | head -30; fi
	done
}

cd "$here/parse/ok" || exit 1
for f in *.et; do
	name=${f%.et}
	"$tool" "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "${UPDATE:-}" = 1 ] && [ $rc = 0 ]; then cp "$tmp/out" "$name.ast"; fi
	if [ $rc != 0 ] || [ -s "$tmp/err" ]; then
		bad "ok/$f: exit $rc, diagnostics:"; sed 's/^/    /' "$tmp/err" | head -20
		continue
	fi
	if [ ! -f "$name.ast" ]; then
		bad "ok/$f: no golden file $name.ast"
		continue
	fi
	if cmp -s "$tmp/out" "$name.ast"; then ok; else bad "ok/$f: dump differs:"; diff -u "$name.ast" "$tmp/out" | head -30; fi
	cp "$tmp/out" "$tmp/dump.et"
	roundtrip "$tmp/dump.et" "ok/$f"
done

if [ -f "$here/parse/same.txt" ]; then
	while read -r a b; do
		case $a in ''|'#'*) continue ;; esac
		"$tool" "$a" >"$tmp/a" 2>/dev/null
		ra=$?
		"$tool" "$b" >"$tmp/b" 2>/dev/null
		rb=$?
		if [ $ra = 0 ] && [ $rb = 0 ] && [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; then
			ok
		else
			bad "same.txt: $a and $b do not dump to the same AST"; diff -u "$tmp/a" "$tmp/b" | head -20
		fi
	done <"$here/parse/same.txt"
fi

cd "$here/parse/bad" || exit 1
for f in *.et; do
	name=${f%.et}
	"$tool" "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "${UPDATE:-}" = 1 ] && [ $rc = 1 ]; then cp "$tmp/err" "$name.err"; fi
	if [ $rc != 1 ]; then
		bad "bad/$f: exit $rc, expected 1"; continue
	fi
	if [ ! -f "$name.err" ]; then
		bad "bad/$f: no expected diagnostics $name.err"; continue
	fi
	if cmp -s "$tmp/err" "$name.err"; then ok; else bad "bad/$f: diagnostics differ:"; diff -u "$name.err" "$tmp/err" | head -30; fi
done

tool_golden attach -p parts "parts differ"
tool_golden walk -w walk "walk differs"

if [ -d "$here/roundtrip" ]; then
	cd "$here/roundtrip" || exit 1
	for f in *.et; do
		[ -f "$f" ] || continue
		if "$tool" "$f" >"$tmp/dump.et" 2>"$tmp/err"; then
			roundtrip "$tmp/dump.et" "roundtrip/$f"
		else
			bad "roundtrip/$f: does not parse:"; sed 's/^/    /' "$tmp/err" | head -20
		fi
	done
fi

echo "parse: $pass passed, $fail failed"
[ $fail = 0 ]
