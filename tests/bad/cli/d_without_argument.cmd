-e
begin { exit(); }
-d
