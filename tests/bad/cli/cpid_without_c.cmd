-e
BEGIN { printf("%d\n", cpid); exit(); }
