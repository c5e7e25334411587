// gperftools producer: `app cpu OUT` runs the workload under ProfilerStart (CPU profile);
// `app heap PREFIX` runs it under HeapProfilerStart and dumps twice.
#include <gperftools/heap-profiler.h>
#include <gperftools/profiler.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "shapes.h"

namespace {
struct Matrix {
  std::vector<double> cells;
  explicit Matrix(int n) : cells(static_cast<std::size_t>(n) * n, 1.5) {}
  double trace() const;
  Matrix operator*(const Matrix& o) const;
};

double Matrix::trace() const { return work::accumulate_squares(cells); }

Matrix Matrix::operator*(const Matrix& o) const {
  Matrix r(static_cast<int>(o.cells.size() > 0 ? 48 : 0));
  for (std::size_t i = 0; i < r.cells.size(); ++i)
    r.cells[i] = cells[i % cells.size()] * o.cells[i];
  return r;
}

std::map<int, std::unique_ptr<std::vector<std::string>>> g_kept;

double round_once(int i) {
  double s = 0;
  std::vector<double> radii(64, 0.5 + i % 3);
  s += work::area(radii);
  s += static_cast<double>(work::area(std::int64_t{i}, std::int64_t{7}));
  std::vector<std::int64_t> ints(256, i);
  s += static_cast<double>(work::accumulate_squares(ints));
  s += static_cast<double>(work::churn_a(200) % 7) + static_cast<double>(work::churn_b(200) % 5);
  Matrix m(48);
  s += (m * m).trace();
  if (i % 8 == 0) s += work::descend(150);
  if (i % 16 == 0) g_kept[i % 512].reset(work::keep_strings(64, 200 + i % 100));
  return s;
}

double run(double seconds) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  double s = 0;
  for (int i = 0; std::chrono::steady_clock::now() < end; ++i) s += round_once(i);
  return s;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: app cpu|heap OUT\n");
    return 2;
  }
  double s = 0;
  if (std::strcmp(argv[1], "cpu") == 0) {
    ProfilerStart(argv[2]);
    s = run(2.0);
    ProfilerStop();
  } else {
    HeapProfilerStart(argv[2]);
    s = run(0.5);
    HeapProfilerDump("half");
    s += run(0.5);
    HeapProfilerDump("end");
    HeapProfilerStop();
  }
  std::printf("%g\n", s);
  return 0;
}
