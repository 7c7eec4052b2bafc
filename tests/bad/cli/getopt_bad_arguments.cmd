-e
BEGIN { print(getopt(comm, 1)); print(getopt("x", comm)); print(getopt("y", 1, 2)); print(getopt("z=1")); }
