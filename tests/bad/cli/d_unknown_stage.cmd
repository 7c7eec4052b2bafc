-d
ast,nope
-e
begin { exit(); }
