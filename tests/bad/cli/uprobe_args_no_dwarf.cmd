-e
uprobe:libz:deflate { @ = args.x; }
