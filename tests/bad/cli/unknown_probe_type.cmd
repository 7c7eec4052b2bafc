-e
nosuchprovider:foo { exit(); }
