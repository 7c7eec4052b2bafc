-Z
-e
BEGIN { exit(); }
