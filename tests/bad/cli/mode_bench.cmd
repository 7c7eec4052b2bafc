--mode
bench
-e
begin { exit(); }
