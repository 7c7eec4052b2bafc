--emit-elf
/dev/null
-e
kretprobe:vfs_read+4 { @n = count(); }
