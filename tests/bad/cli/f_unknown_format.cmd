-f
yaml
-e
BEGIN { exit(); }
