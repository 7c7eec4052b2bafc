-e
usdt:/nonexistent/etrace_bin:prov:probe { exit(); }
