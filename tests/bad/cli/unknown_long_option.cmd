--frobnicate
-e
BEGIN { exit(); }
