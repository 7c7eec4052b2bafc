--include
no_such_etrace_header.h
-e
BEGIN { exit(); }
