-e
BEGIN { print(getopt("aa", 1)); } END { print(getopt("aa", 2)); }
