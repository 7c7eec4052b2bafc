-e
config = { max_strlen = 8000 } BEGIN { $a = str(0); $b = (str(0), $a); $c = ($b, $a); printf("%s %s\n", $a, $c.1); exit(); }
