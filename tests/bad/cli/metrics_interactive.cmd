--metrics
9091
-i
