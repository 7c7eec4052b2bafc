-p
99999999999
-e
BEGIN { exit(); }
