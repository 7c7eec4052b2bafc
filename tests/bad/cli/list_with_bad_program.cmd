-l
-e
BEGIN { @x = ; }
