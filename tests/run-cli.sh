#!/bin/bash
# run-cli.sh: bad command lines and bad scripts run through the etrace binary itself (the whole pipeline:
# options, environment, parse, sema, codegen; nothing of these attaches).
# Each tests/bad/cli/NAME.cmd holds etrace's arguments, one per line; NAME.env (optional) holds VAR=VALUE
# lines for its environment. etrace runs in tests/bad/cli with a 30 s timeout; its stderr must equal
# NAME.err byte for byte and its exit code NAME.code (default 1); stdout must be empty.
# Cases that expect exit 2 (usage errors, found before anything else) run as any user; the others need
# root (etrace refuses to do anything without CAP_BPF and CAP_PERFMON) and are skipped otherwise.
# Usage: run-cli.sh ETRACE [SOURCE_DIR]. UPDATE=1 (re)writes the .err/.code files (review before committing).
etrace=${1:?usage: run-cli.sh ETRACE [SOURCE_DIR]}
src=${2:-$(cd "$(dirname "$0")/.." && pwd)}
case $etrace in /*) ;; *) etrace=$(pwd)/$etrace ;; esac
cd "$src/tests/bad/cli" || exit 2
pass=0 fail=0 skip=0
for cmd in *.cmd; do
	name=${cmd%.cmd}
	want_code=1
	[ -f "$name.code" ] && want_code=$(cat "$name.code")
	if [ "$want_code" != 2 ] && [ "$(id -u)" != 0 ]; then
		skip=$((skip + 1))
		continue
	fi
	mapfile -t args < "$cmd"
	envs=()
	[ -f "$name.env" ] && mapfile -t envs < "$name.env"
	out=$(env "${envs[@]}" timeout -s KILL 30 "$etrace" "${args[@]}" 2>"$name.stderr.tmp" </dev/null)
	code=$?
	err=$(cat "$name.stderr.tmp")
	rm -f "$name.stderr.tmp"
	if [ -n "$UPDATE" ]; then
		printf '%s\n' "$err" > "$name.err"
		if [ "$code" != 1 ]; then echo "$code" > "$name.code"; else rm -f "$name.code"; fi
		want_code=$code
	fi
	if [ "$err" == "$(cat "$name.err" 2>/dev/null)" ] && [ "$code" == "$want_code" ] && [ -z "$out" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name (exit $code, expected $want_code${out:+, stdout not empty})"
		diff <(cat "$name.err" 2>/dev/null) <(printf '%s\n' "$err") | head -20
	fi
done
echo "cli: $pass passed, $fail failed$([ "$skip" != 0 ] && echo ", $skip skipped (need root)")"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
