-k
--no-warnings
-e
begin { exit(); }
