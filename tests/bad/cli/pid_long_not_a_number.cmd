--pid
abc
-e
begin { exit(); }
