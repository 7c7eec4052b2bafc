-e
BEGIN { signal("KILL"); exit(); }
