-p
4194304
-e
begin { exit(); }
