-p
12x
-e
BEGIN { exit(); }
