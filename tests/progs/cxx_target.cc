// cxx_target N: calls etns::Widget::poke(int) and etns::twice(long) N times (C++ names for the
// demangled-name uprobe test).
#include <cstdio>
#include <cstdlib>

namespace etns {
struct Widget {
	int v = 0;
	__attribute__((noinline)) int poke(int x);
};
int Widget::poke(int x)
{
	asm volatile("" ::: "memory");
	v += x;
	return v;
}
__attribute__((noinline)) long twice(long x)
{
	asm volatile("" ::: "memory");
	return 2 * x;
}
} // namespace etns

int main(int argc, char **argv)
{
	long n = argc > 1 ? std::atol(argv[1]) : 1;
	etns::Widget w;
	long s = 0;
	for (long i = 0; i < n; i++)
		s += w.poke(1) + etns::twice(i);
	std::printf("%ld\n", s);
	return 0;
}
