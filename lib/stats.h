// Statistics for judging repeated runs the way benchstat judges benchmarks: the Mann-Whitney U
// test (exact for small samples, normal approximation with tie correction for larger ones) and
// Benjamini-Hochberg control of the false discovery rate over many tests at once.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace perfkit::stats {

struct UTest {
  double u = 0;        // U of the first sample: pairs (a_i, b_j) with a_i > b_j, ties count 1/2
  double p = 1;        // two-sided p-value
  bool exact = false;  // p from the exact permutation distribution (else normal approximation)
};

// Two-sided Mann-Whitney U test of a against b. Empty samples give p = 1.
UTest mann_whitney_u(std::span<const double> a, std::span<const double> b);

// The smallest two-sided p-value any U test can reach with n1 and n2 observations:
// 2 / C(n1+n2, n1). With 3 per side this is 0.1, so p < 0.05 is impossible.
double min_two_sided_p(int n1, int n2);

// Benjamini-Hochberg adjusted p-values (q-values), in the order given. A test is a discovery at
// false discovery rate alpha when its q <= alpha.
std::vector<double> benjamini_hochberg(std::span<const double> p);

// Median (mean of the middle two for an even count); 0 for an empty sample.
double median(std::span<const double> v);

}  // namespace perfkit::stats
