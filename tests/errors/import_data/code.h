struct ok { int a; };
int not_a_type;
