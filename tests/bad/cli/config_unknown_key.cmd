-e
config = { no_such_option = 1 } BEGIN { exit(); }
