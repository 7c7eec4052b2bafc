-e
BEGIN { print(getopt("aa", 1, "one")); } END { print(getopt("aa", 1, "two")); }
