--metrics
9091
--dump-ast
-e
BEGIN { exit(); }
