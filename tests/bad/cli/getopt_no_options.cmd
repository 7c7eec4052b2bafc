-e
BEGIN { print(1); }
--
--bb=3
