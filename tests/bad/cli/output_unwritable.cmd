-o
/nonexistent/dir/out.txt
-e
BEGIN { printf("x\n"); exit(); }
