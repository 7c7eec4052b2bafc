-e
rawtracepoint:nonsense:sys_exit { printf("SUCCESS %d\n", gid); exit(); }
