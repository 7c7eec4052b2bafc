-e
BEGIN { exit(); }
--emit-elf
