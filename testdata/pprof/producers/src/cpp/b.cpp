#include "shapes.h"

namespace work {
namespace {
// mix: the same name as a.cpp's, a different body.
__attribute__((noinline)) std::uint64_t mix(std::uint64_t x) {
  for (int i = 0; i < 48; ++i) x ^= (x << 13) ^ (x >> 7) ^ (x << 17);
  return x;
}

inline std::uint64_t rotate(std::uint64_t x) { return (x << 5) | (x >> 59); }  // inlined
}  // namespace

std::uint64_t churn_b(int n) {
  std::uint64_t s = 1;
  for (int i = 0; i < n; ++i) s = rotate(mix(s + i));
  return s;
}

std::vector<std::string>* keep_strings(int n, int len) {
  auto* v = new std::vector<std::string>();
  for (int i = 0; i < n; ++i) v->emplace_back(static_cast<std::size_t>(len + i % 7), 'x');
  return v;
}
}  // namespace work
