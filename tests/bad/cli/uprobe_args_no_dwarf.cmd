-e
uprobe:libc:getpid { @ = args.x; }
