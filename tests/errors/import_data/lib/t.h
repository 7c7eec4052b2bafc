struct lib_pair { int a; long b; };
