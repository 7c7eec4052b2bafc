--emit-llvm
/nonexistent/x
-e
begin { exit(); }
