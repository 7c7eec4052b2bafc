-e
BEGIN { print(getopt("aa", 1)); }
--
--aa=x
