--mode
nope
-e
begin { exit(); }
