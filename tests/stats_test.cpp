#include <doctest/doctest.h>

#include <vector>

#include "lib/stats.h"

using namespace perfkit::stats;

// Reference values: brute-force permutation enumeration (exact) and the textbook normal
// approximation with tie and continuity correction, computed independently in Python.
TEST_CASE("Mann-Whitney U: exact p-values for small samples") {
  std::vector<double> a{1, 2, 3, 4, 5}, b{6, 7, 8, 9, 10};
  UTest t = mann_whitney_u(a, b);
  CHECK(t.exact);
  CHECK(t.u == 0);
  CHECK(t.p == doctest::Approx(2.0 / 252));
  CHECK(mann_whitney_u(b, a).p == doctest::Approx(2.0 / 252));
  CHECK(mann_whitney_u(b, a).u == 25);

  std::vector<double> c{1.1, 2.5, 3.3, 4.2, 7.7, 8.1}, d{3.0, 5.5, 6.1, 9.2, 9.9, 10.5, 11.0};
  CHECK(mann_whitney_u(c, d).p == doctest::Approx(0.07342657342657342));
}

TEST_CASE("Mann-Whitney U: exact with ties uses midranks") {
  std::vector<double> a{1, 2, 2, 3, 4}, b{2, 3, 5, 6, 6};
  UTest t = mann_whitney_u(a, b);
  CHECK(t.exact);
  CHECK(t.p == doctest::Approx(0.11904761904761904));
  std::vector<double> same{7, 7, 7}, same2{7, 7, 7};
  CHECK(mann_whitney_u(same, same2).p == doctest::Approx(1.0));
}

TEST_CASE("Mann-Whitney U: normal approximation for larger samples, with tie correction") {
  std::vector<double> a, b, c, d;
  for (int x = 0; x < 40; ++x) a.push_back(x);
  for (int x = 0; x < 35; ++x) b.push_back(x + 10.5);
  UTest t = mann_whitney_u(a, b);
  CHECK_FALSE(t.exact);
  CHECK(t.u == 435);
  CHECK(t.p == doctest::Approx(0.004970189077531402).epsilon(1e-9));
  for (int x = 0; x < 40; ++x) c.push_back(x / 3);
  for (int x = 0; x < 35; ++x) d.push_back(x / 3 + 2);
  t = mann_whitney_u(c, d);
  CHECK(t.u == 578.5);
  CHECK(t.p == doctest::Approx(0.19751983731543032).epsilon(1e-9));
}

TEST_CASE("the smallest reachable p: 3 per side can never reach 0.05") {
  CHECK(min_two_sided_p(3, 3) == doctest::Approx(0.1));
  CHECK(min_two_sided_p(4, 4) == doctest::Approx(2.0 / 70));
  CHECK(min_two_sided_p(5, 5) == doctest::Approx(2.0 / 252));
  CHECK(min_two_sided_p(1, 1) == 1.0);
  std::vector<double> a{1, 2, 3}, b{4, 5, 6};
  CHECK(mann_whitney_u(a, b).p == doctest::Approx(0.1));
}

TEST_CASE("Benjamini-Hochberg q-values") {
  std::vector<double> p{0.01, 0.04, 0.03, 0.005, 0.2};
  std::vector<double> q = benjamini_hochberg(p);
  REQUIRE(q.size() == 5);
  CHECK(q[0] == doctest::Approx(0.025));
  CHECK(q[1] == doctest::Approx(0.05));
  CHECK(q[2] == doctest::Approx(0.05));
  CHECK(q[3] == doctest::Approx(0.025));
  CHECK(q[4] == doctest::Approx(0.2));
  // 250 equal p-values keep their value (m/k * p with k = m); one small p among 249 large ones
  // is multiplied by m: by chance alone some of 250 functions look "significant".
  std::vector<double> many(250, 0.01);
  for (double v : benjamini_hochberg(many)) CHECK(v == doctest::Approx(0.01));
  std::vector<double> one_small(250, 0.5);
  one_small[7] = 0.001;
  CHECK(benjamini_hochberg(one_small)[7] == doctest::Approx(0.25));
}

TEST_CASE("median") {
  std::vector<double> odd{3, 1, 2}, even{4, 1, 3, 2};
  CHECK(median(odd) == 2);
  CHECK(median(even) == 2.5);
  CHECK(median(std::vector<double>{}) == 0);
}
