-e
BEGIN { exit(); }
-I
