--emit-elf
/dev/null
-e
fexit:bpf:zz:x { @n = count(); }
