-e
tracepoint:sched:nosuchevent { exit(); }
