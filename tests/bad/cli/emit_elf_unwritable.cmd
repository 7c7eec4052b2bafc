--emit-elf
/nonexistent/dir/x.o
-e
BEGIN { exit(); }
