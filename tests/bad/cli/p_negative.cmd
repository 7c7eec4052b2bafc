-p
-5
-e
BEGIN { exit(); }
