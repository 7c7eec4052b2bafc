-e
config = { max_map_keys = 0 } BEGIN { exit(); }
