--probe-filter
(
-e
begin { exit(); } interval:s:1 { exit(); }
