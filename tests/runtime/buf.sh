#!/bin/bash
# buf(ptr, len): bytes read from a user buffer (the one a child passes to write(2)), printed with printf
# %r / %rx / %rh, by print() and as a map key; the length is clamped to the buffer's capacity.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_write
[ -x /usr/bin/printf ] || skip "no /usr/bin/printf to write known bytes"

# the child writes the 4 bytes 'A' 'B' 0x01 '\n' in one write(2)
prog='tracepoint:syscalls:sys_enter_write /comm == "printf"/ {
	printf("r=%r|rx=%rx|rh=%rh|\n", buf(args->buf, args->count), buf(args->buf, 3), buf(args->buf, args->count));
	print(buf(args->buf, 2));
	printf("short=%rh|\n", buf(args->buf, 100));
	@[buf(args->buf, 2)] = count();
}'
timeout 20 "$ETRACE" -e "$prog" -c "/usr/bin/printf 'AB\\001\\n'" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "etrace exits 0 (rc=$rc: $(head -c 300 "$TMP/err"))" [ "$rc" = 0 ]
check "%r keeps printable ASCII, escapes the rest" grep -qF 'r=AB\x01\x0a|' "$TMP/out"
check "%rx escapes every byte, buf(ptr, 3) reads 3 bytes" grep -qF '|rx=\x41\x42\x01|' "$TMP/out"
check "%rh prints hex bytes separated by spaces" grep -qF '|rh=41 42 01 0a|' "$TMP/out"
check "print(buf) prints it like %r" grep -qx 'AB' "$TMP/out"
check "buf(ptr, 100) of a 4-byte write is clamped to the capacity (64 bytes)" \
	bash -c "grep -o 'short=[0-9a-f ]*|' '$TMP/out' | awk '{ exit !(NF == 64) }'"
check "a buffer as a map key" grep -qx '@\[AB\]: 1' "$TMP/out"

# buf() of a pointer needs a length
"$ETRACE" -e 'tracepoint:syscalls:sys_enter_write { print(buf(args->buf)); }' >"$TMP/out2" 2>&1
rc=$?
check "buf(ptr) without a length is an error (rc=$rc)" [ "$rc" != 0 ]
check "the error says a length is needed" grep -q 'buf() of a pointer needs a length' "$TMP/out2"
finish
