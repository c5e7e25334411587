// jemalloc producer: the gperftools workload's allocating parts, linked with -ljemalloc and run
// under MALLOC_CONF=prof:true,...; it dumps heap_v2 profiles with mallctl("prof.dump") halfway
// and at the end.
#include <jemalloc/jemalloc.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "shapes.h"

namespace {
std::vector<std::unique_ptr<std::vector<std::string>>> g_kept;

__attribute__((noinline)) void keep_some(int round) {
  g_kept.emplace_back(work::keep_strings(256, 300 + round % 50));
}

__attribute__((noinline)) double churn(int round) {
  std::vector<double> radii(2048 + round % 64, 0.25);
  return work::area(radii) + static_cast<double>(work::churn_a(50) % 3);
}
}  // namespace

int main() {
  double s = 0;
  for (int round = 0; round < 400; ++round) {
    s += churn(round);
    if (round % 3 == 0) keep_some(round);
    if (g_kept.size() > 64) g_kept.erase(g_kept.begin(), g_kept.begin() + 32);
    if (round == 199 || round == 399) mallctl("prof.dump", nullptr, nullptr, nullptr, 0);
  }
  std::printf("%g %zu\n", s, g_kept.size());
  return 0;
}
