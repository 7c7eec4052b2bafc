-c
echo "unterminated
-e
BEGIN { exit(); }
