-e
BEGIN { @x = ; }
