--emit-elf
/dev/null
-e
kprobe:0xffffffff81000000 { @n = count(); }
