--fmt
--mode
codegen
-e
begin { exit(); }
