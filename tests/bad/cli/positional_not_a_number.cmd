-e
BEGIN { @x = $1 + 1; exit(); }
abc
