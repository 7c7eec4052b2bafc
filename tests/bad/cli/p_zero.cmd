-p
0
-e
BEGIN { exit(); }
