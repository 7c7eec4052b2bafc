-e
BEGIN { print(getopt("verbose")); }
--
--verbose=maybe
