-e
bench:b { }
