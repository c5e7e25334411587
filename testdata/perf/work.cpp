// A small CPU-bound program for `perf record -g` (tests/make_perf_testdata.sh builds it with
// -O1 -fno-omit-frame-pointer): two threads, a recursion, a template, an anonymous namespace and
// an overloaded member, so perf script prints the C++ names stackcollapse-perf.pl tidies.
#include <pthread.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

__attribute__((noinline)) uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

}  // namespace

namespace work {

template <typename T>
__attribute__((noinline)) T sum_squares(const std::vector<T>& v) {
  T s = 0;
  for (T x : v) s += x * x;
  return s;
}

struct Hasher {
  __attribute__((noinline)) uint64_t hash(uint64_t seed, int rounds) const {
    for (int i = 0; i < rounds; ++i) seed = mix(seed, static_cast<uint64_t>(i));
    return seed;
  }
  __attribute__((noinline)) uint64_t hash(const char* s) const {
    uint64_t h = 1469598103934665603ULL;
    for (int r = 0; r < 2000; ++r)
      for (const char* p = s; *p; ++p) h = (h ^ static_cast<unsigned char>(*p)) * 1099511628211ULL;
    return h;
  }
};

__attribute__((noinline)) uint64_t fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

}  // namespace work

extern "C" __attribute__((noinline)) void* worker(void* arg) {
  pthread_setname_np(pthread_self(), "hasher thread");
  volatile uint64_t sink = 0;
  long rounds = reinterpret_cast<long>(arg);
  std::vector<double> v(20000, 1.5);
  work::Hasher h;
  for (long i = 0; i < rounds; ++i) {
    sink = sink + static_cast<uint64_t>(work::sum_squares(v));
    sink = sink + h.hash(static_cast<uint64_t>(i), 20000);
    sink = sink + h.hash("the quick brown fox jumps over the lazy dog");
  }
  return nullptr;
}

__attribute__((noinline)) void run_main_thread(long rounds) {
  volatile uint64_t sink = 0;
  for (long i = 0; i < rounds; ++i) sink = sink + work::fib(24);
}

int main(int argc, char** argv) {
  long rounds = argc > 1 ? std::atol(argv[1]) : 200;
  pthread_t t;
  pthread_create(&t, nullptr, worker, reinterpret_cast<void*>(rounds));
  run_main_thread(rounds);
  pthread_join(t, nullptr);
  std::printf("done\n");
  return 0;
}
