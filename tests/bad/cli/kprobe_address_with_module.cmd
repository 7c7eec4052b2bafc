--unsafe
--emit-elf
/dev/null
-e
kprobe:vmlinux:0xffffffff81000000 { @n = count(); }
