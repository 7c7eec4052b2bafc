-e
uprobe:/nonexistent/etrace_bin:main { exit(); }
