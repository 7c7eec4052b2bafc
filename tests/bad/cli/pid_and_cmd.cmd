-p
1
-c
true
-e
begin { exit(); }
