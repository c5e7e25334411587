// The gperftools producer's workload: overloads, templates, inlined helpers, two static
// functions named `mix` in two files, and deep recursion.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace work {
double area(double r);                              // overload 1
std::int64_t area(std::int64_t w, std::int64_t h);  // overload 2
double area(const std::vector<double>& xs);         // overload 3

template <typename T>
T accumulate_squares(const std::vector<T>& xs) {
  T s{};
  for (const T& x : xs) s += x * x;
  return s;
}

std::uint64_t churn_a(int n);  // calls the static mix() of a.cpp
std::uint64_t churn_b(int n);  // calls the static mix() of b.cpp
int descend(int depth);
std::vector<std::string>* keep_strings(int n, int len);
}  // namespace work
