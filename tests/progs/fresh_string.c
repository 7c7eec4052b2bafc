/* fresh_string: passes a string literal that nothing has touched yet (its .rodata page is not
 * resident when the probe fires) to take(), once. The sleepable uprobe test reads it. */
__attribute__((noinline)) int take(const char *s)
{
	__asm__ volatile("" ::: "memory");
	return s[0];
}

int main(int argc, char **argv)
{
	(void)argv;
	return take(argc > 5 ? "x" : "fresh-rodata-string") == 'q';
}
