-e
test:t { printf("x\n"); }
