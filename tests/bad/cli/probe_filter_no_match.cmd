--probe-filter
nomatch
-e
begin { exit(); } interval:s:1 { exit(); }
