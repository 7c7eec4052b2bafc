-p
abc
-e
BEGIN { exit(); }
