--unsafe
-e
BEGIN { override(1); exit(); }
