--emit-elf
/dev/null
-e
fentry:bpf { @n = count(); }
