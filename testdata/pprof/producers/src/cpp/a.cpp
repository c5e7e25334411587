#include <cmath>

#include "shapes.h"

namespace work {
namespace {
// mix: the same name as b.cpp's, each private to its file.
__attribute__((noinline)) std::uint64_t mix(std::uint64_t x) {
  for (int i = 0; i < 64; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  return x;
}
}  // namespace

double area(double r) { return M_PI * r * r + std::sin(r); }
std::int64_t area(std::int64_t w, std::int64_t h) {
  return w * h + static_cast<std::int64_t>(mix(w));
}
double area(const std::vector<double>& xs) {
  double s = 0;
  for (double x : xs) s += area(x);
  return s;
}

std::uint64_t churn_a(int n) {
  std::uint64_t s = 0;
  for (int i = 0; i < n; ++i) s += mix(s + i);
  return s;
}

__attribute__((noinline)) int descend(int depth) {
  if (depth == 0) {
    volatile std::uint64_t s = 0;
    for (int i = 0; i < 2000; ++i) s = s + mix(i);
    return static_cast<int>(s & 1);
  }
  return descend(depth - 1) + (depth & 1);
}
}  // namespace work
