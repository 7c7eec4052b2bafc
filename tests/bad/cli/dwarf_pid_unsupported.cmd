--dwarf-pid
1
-e
begin { exit(); }
