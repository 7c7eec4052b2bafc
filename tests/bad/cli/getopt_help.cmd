-e
BEGIN { print((getopt("aa", 1, "how many"), getopt("name", "x"))); }
--
--help
