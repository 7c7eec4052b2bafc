--test
-e
test:a { } test:a { }
