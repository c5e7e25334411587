#include "lib/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace perfkit::stats {

namespace {

// Pooled samples small enough for the exact distribution (a DP over doubled midranks).
constexpr int kExactMaxN = 30;

struct Ranked {
  std::vector<int64_t> doubled_ranks;  // per pooled item, 2 * midrank (always an integer)
  int64_t doubled_rank_sum_a = 0;      // of the first sample
  double tie_term = 0;                 // sum over tie groups of t^3 - t
};

Ranked rank(std::span<const double> a, std::span<const double> b) {
  struct Item {
    double v;
    bool from_a;
  };
  std::vector<Item> items;
  items.reserve(a.size() + b.size());
  for (double v : a) items.push_back({v, true});
  for (double v : b) items.push_back({v, false});
  std::sort(items.begin(), items.end(), [](const Item& x, const Item& y) { return x.v < y.v; });
  Ranked r;
  r.doubled_ranks.resize(items.size());
  size_t i = 0;
  while (i < items.size()) {
    size_t j = i;
    while (j + 1 < items.size() && items[j + 1].v == items[i].v) ++j;
    // ranks i+1 .. j+1 share the midrank (i+j+2)/2; doubled: i+j+2.
    int64_t dr = static_cast<int64_t>(i + j + 2);
    double t = static_cast<double>(j - i + 1);
    r.tie_term += t * t * t - t;
    for (size_t k = i; k <= j; ++k) {
      r.doubled_ranks[k] = dr;
      if (items[k].from_a) r.doubled_rank_sum_a += dr;
    }
    i = j + 1;
  }
  return r;
}

// Exact two-sided p: the share of the C(N, n1) equally likely subsets whose doubled rank sum is
// at least as far from its mean as the observed one.
double exact_p(const Ranked& r, int n1) {
  const int n = static_cast<int>(r.doubled_ranks.size());
  int64_t max_sum = 0;
  for (int64_t d : r.doubled_ranks) max_sum += d;
  // ways[k][s]: subsets of size k of the items seen so far with doubled rank sum s.
  std::vector<std::vector<double>> ways(n1 + 1, std::vector<double>(max_sum + 1, 0.0));
  ways[0][0] = 1;
  int64_t reach = 0;
  for (int i = 0; i < n; ++i) {
    int64_t d = r.doubled_ranks[i];
    reach += d;
    for (int k = std::min(n1, i + 1); k >= 1; --k)
      for (int64_t s = reach; s >= d; --s) ways[k][s] += ways[k - 1][s - d];
  }
  const int64_t mean2 = static_cast<int64_t>(n1) * (n + 1);  // the mean rank sum n1 (N+1) / 2, doubled
  const int64_t obs = std::llabs(r.doubled_rank_sum_a - mean2);
  double total = 0, extreme = 0;
  for (int64_t s = 0; s <= max_sum; ++s) {
    double w = ways[n1][s];
    if (w == 0) continue;
    total += w;
    if (std::llabs(s - mean2) >= obs) extreme += w;
  }
  return total > 0 ? std::min(1.0, extreme / total) : 1.0;
}

double normal_p(const Ranked& r, double u, int n1, int n2) {
  const double n = n1 + n2;
  const double mu = 0.5 * n1 * n2;
  const double var = n1 * n2 / 12.0 * ((n + 1) - r.tie_term / (n * (n - 1)));
  if (var <= 0) return 1.0;
  double z = (std::fabs(u - mu) - 0.5) / std::sqrt(var);  // continuity correction
  if (z < 0) z = 0;
  return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
}

}  // namespace

UTest mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  UTest t;
  const int n1 = static_cast<int>(a.size()), n2 = static_cast<int>(b.size());
  if (n1 == 0 || n2 == 0) return t;
  Ranked r = rank(a, b);
  // U1 = R1 - n1(n1+1)/2, with R1 = doubled / 2.
  t.u = r.doubled_rank_sum_a / 2.0 - n1 * (n1 + 1) / 2.0;
  if (n1 + n2 <= kExactMaxN) {
    t.exact = true;
    t.p = exact_p(r, n1);
  } else {
    t.p = normal_p(r, t.u, n1, n2);
  }
  return t;
}

double min_two_sided_p(int n1, int n2) {
  if (n1 <= 0 || n2 <= 0) return 1.0;
  // C(n1+n2, n1) computed in doubles (exact well past any sample count we see).
  double c = 1;
  for (int i = 1; i <= n1; ++i) c = c * (n2 + i) / i;
  return std::min(1.0, 2.0 / c);
}

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p[x] < p[y]; });
  std::vector<double> q(m, 1.0);
  double running = 1.0;
  for (size_t k = m; k-- > 0;) {
    size_t i = order[k];
    running = std::min(running, p[i] * static_cast<double>(m) / static_cast<double>(k + 1));
    q[i] = std::min(1.0, running);
  }
  return q;
}

double median(std::span<const double> v) {
  if (v.empty()) return 0;
  std::vector<double> s(v.begin(), v.end());
  std::sort(s.begin(), s.end());
  size_t n = s.size();
  return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

}  // namespace perfkit::stats
