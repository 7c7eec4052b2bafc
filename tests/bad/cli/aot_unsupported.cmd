--aot
out
-e
begin { exit(); }
