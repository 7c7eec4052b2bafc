-e
uprobe:./uprobe_not_elf.cmd:main { exit(); }
