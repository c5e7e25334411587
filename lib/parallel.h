// The one way perfkit splits work across cores: f(i) for i in [0, n) on up to `jobs` threads
// (0 = all cores). Results go into slots indexed by i, so output never depends on scheduling;
// the first exception by index (not by time) is rethrown, so errors are deterministic too.
#pragma once
#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace perfkit {

inline unsigned thread_count(unsigned jobs) {
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  return jobs == 0 ? hw : jobs;
}

template <typename F>
void parallel_for(size_t n, unsigned jobs, F f) {
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> errors(n);
  auto work = [&] {
    for (size_t i; (i = next++) < n;) {
      try {
        f(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  const size_t threads = std::min<size_t>(thread_count(jobs), n);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace perfkit
