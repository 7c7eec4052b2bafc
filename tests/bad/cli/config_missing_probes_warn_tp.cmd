-e
config = { missing_probes = warn } tracepoint:nosuch_category:nosuch_event { } BEGIN { exit(); }
