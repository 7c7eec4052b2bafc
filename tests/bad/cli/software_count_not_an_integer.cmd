-e
software:cs:1k { exit(); }
