--metrics
9091
-l
tracepoint:syscalls:sys_enter_getppid
