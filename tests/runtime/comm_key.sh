# comm as a map key, for names of every length around the 8-byte words it is read in: each name has
# exactly its own calls (a shorter name after a longer one keeps no bytes of it, a name cut to 15 bytes
# joins the one it equals), in a 16-byte key and in a wider string key.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint raw_syscalls/sys_enter
prog=$(build_prog comm_names etr_comm_names)
# name calls: under each name its calls plus the prctl() of the next rename
args=(abcdefghijklmno 101 x 102 abcdefgh 103 abcdefg 104 abcdefghi 105 ab 106 abcdefghijklmnopqrs 107
      etr_q7 108)
expect() {
	cat <<'END'
@[ab]: 107
@[abcdefg]: 105
@[abcdefgh]: 104
@[abcdefghi]: 106
@[abcdefghijklmno]: 210
@[etr_q7]: 109
@[x]: 103
END
}
for form in '@[comm] = count();' '@[comm] = count(); @["a key longer than sixteen bytes"] = count();'; do
	run_etrace -e "tracepoint:raw_syscalls:sys_enter /pid == cpid/ { $form }" -c "$prog ${args[*]}"
	check "exit status 0 ($form)" test "$ET_STATUS" = 0
	got=$(grep -E '^@\[(ab|x|etr_q7)' "$ET_OUT" | sort)
	check "one key per name, each with its own calls ($form): got $(echo $got)" \
		test "$got" = "$(expect)"
	if [[ $form == *longer* ]]; then
		check "the wider key is there once ($form)" \
			test "$(grep -c '^@\[a key longer than sixteen bytes\]: ' "$ET_OUT")" = 1
	fi
done
finish
