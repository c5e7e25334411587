#include <stdio.h>
#include <stdlib.h>
static unsigned mix(unsigned x) { for (int i = 0; i < 50; ++i) x = x * 2654435761u + 17; return x; }
static unsigned parse(const char* s) { unsigned h = 0; for (; *s; ++s) h = mix(h ^ (unsigned char)*s); return h; }
static unsigned compute(unsigned n) { unsigned a = 0; for (unsigned i = 0; i < n; ++i) a += mix(i); return a; }
static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(int argc, char** argv) {
  unsigned r = parse(argc > 1 ? argv[1] : "hello world");
  r += compute(2000);
  r += fib(15);
  printf("%u\n", r);
  return 0;
}
