--metrics
9999
--dry-run
-e
begin { exit(); }
