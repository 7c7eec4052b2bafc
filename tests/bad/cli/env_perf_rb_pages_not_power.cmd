-e
BEGIN { exit(); }
