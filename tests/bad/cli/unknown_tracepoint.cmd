-e
tracepoint:nosuchcat:nosuchevent { exit(); }
