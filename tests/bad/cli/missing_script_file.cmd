/nonexistent/etrace-test/script.bt
