-e
BEGIN { print(getopt("aa", 1, "how many")); }
--
--bb=3
--cc
