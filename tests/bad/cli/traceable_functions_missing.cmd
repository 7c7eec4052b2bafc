--traceable-functions
/nonexistent/funcs
-e
begin { exit(); }
