-B
sometimes
-e
BEGIN { exit(); }
