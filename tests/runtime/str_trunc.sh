# A string cut at max_strlen ends with the str_trunc_trailer config value, as today's bpftrace prints it:
# str(p) keeps max_strlen characters and a string that fills them (one of exactly max_strlen characters
# too: bpftrace cannot tell) gets the trailer (default ".."), in printf %s, print(), map keys and values
# and tuples, text and JSON; str(p, n) keeps n - 1 characters and no trailer (n over max_strlen reads like
# str(p)); from max_strlen = 1024 on, str(p) keeps max_strlen - 1 characters and no trailer.
# str_trunc_trailer comes from the config block or BPFTRACE_STR_TRUNC_TRAILER (the block wins); "" none.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_execve
require_python "to parse JSON"
snapshot_bpf

# execve(2) of ./NAME (etrace -c runs it from the current directory): args.filename is exactly "./NAME"
cd "$TMP" || exit 1
for name in abcdefghijklmnop abcdef abcde; do cp /bin/true "$name"; done
probe='tracepoint:syscalls:sys_enter_execve /pid == cpid/ {
	printf("%s|\n", str(args.filename)); print(str(args.filename)); @k[str(args.filename)] = count();
	@v = str(args.filename); @t = (str(args.filename), 1);
	print(str(args.filename, 5)); $n = 20; print(str(args.filename, $n)); printf("%s|\n", str(args.filename, 8)); }'
# want NAME CUT: the text output for ./NAME when str(p) gives CUT
want() {
	printf '%s\n' "$2|" "$2" ./ab "$2" "$(printf %s "./$1" | cut -c1-7)|" '' '' "@k[$2]: 1" "@t: ($2, 1)" "@v: $2"
}

run_etrace -c ./abcdefghijklmnop -e "config = { max_strlen = 8 } $probe"
check "18 characters, max_strlen 8: 8 kept and '..' in printf, print, key, value and tuple; str(p, 5) 4, str(p, 20) cut, str(p, 8) 7" \
	diff <(want abcdefghijklmnop ./abcdef..) "$ET_OUT"
run_etrace -c ./abcdef -e "config = { max_strlen = 8 } $probe"
check "exactly 8 characters: printed with the trailer too (bpftrace's heuristic)" diff <(want abcdef ./abcdef..) "$ET_OUT"
run_etrace -c ./abcde -e "config = { max_strlen = 8 } $probe"
check "7 characters: no trailer" diff <(want abcde ./abcde) "$ET_OUT"

run_etrace -f json -c ./abcdefghijklmnop -e "config = { max_strlen = 8 } $probe"
check "json: the same values, trailer included" jcheck "$ET_OUT" \
	'of("printf") == ["./abcdef..|\n", "./abcde|\n"]' \
	'of("value") == ["./abcdef..", "./ab", "./abcdef.."]' \
	'one("map", "@k") == {"./abcdef..": 1}' 'one("map", "@v") == "./abcdef.."' 'one("map", "@t") == ["./abcdef..", 1]'

short='tracepoint:syscalls:sys_enter_execve /pid == cpid/ { print(str(args.filename)); }'
run_etrace -c ./abcdefghijklmnop -e "config = { max_strlen = 8; str_trunc_trailer = \"~\" } $short"
check "config str_trunc_trailer = \"~\"" test "$(head -1 "$ET_OUT")" = "./abcdef~"
BPFTRACE_STR_TRUNC_TRAILER=_xxx run_etrace -c ./abcdefghijklmnop -e "config = { max_strlen = 8 } $short"
check "BPFTRACE_STR_TRUNC_TRAILER=_xxx" test "$(head -1 "$ET_OUT")" = "./abcdef_xxx"
BPFTRACE_STR_TRUNC_TRAILER=_xxx run_etrace -c ./abcdefghijklmnop -e "config = { max_strlen = 8; str_trunc_trailer = \"~\" } $short"
check "the environment wins over the config block (bpftrace's rule)" test "$(head -1 "$ET_OUT")" = "./abcdef_xxx"
run_etrace -c ./abcdefghijklmnop -e "config = { max_strlen = 8; str_trunc_trailer = \"\" } $short"
check "config str_trunc_trailer = \"\" prints no trailer" test "$(head -1 "$ET_OUT")" = "./abcdef"

# max_strlen 1024: a 1209-character path keeps 1023 characters, without a trailer
seg=$(printf 'd%.0s' $(seq 200))
mkdir -p "$seg/$seg/$seg/$seg/$seg/$seg"
long="./$seg/$seg/$seg/$seg/$seg/$seg/t"
cp /bin/true "$long"
run_etrace -c "$long" -e "config = { max_strlen = 1024 } $short"
check "max_strlen 1024: the first 1023 characters of the ${#long}-character path, no trailer" \
	test "$(head -1 "$ET_OUT")" = "${long:0:1023}"
cd /
check "nothing left behind" nothing_left_behind
finish
