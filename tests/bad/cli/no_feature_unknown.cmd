--no-feature
kprobe_multi,frob
-e
begin { exit(); }
