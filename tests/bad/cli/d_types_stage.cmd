-d
types
-e
begin { exit(); }
