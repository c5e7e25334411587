// Transparent huge pages for the big arrays of a large input: one page fault per 2 MiB instead of
// per 4 KiB. On this kind of machine (THP in "madvise" mode) a 300k-sample profile otherwise
// spends a third of its time in the kernel faulting in and zeroing 4 KiB pages.
#pragma once
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

namespace perfkit {

// A hint that a large buffer about to be filled should get transparent huge pages. Harmless where
// THP is off or the range is too small.
inline void ask_huge_pages(void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

namespace huge_detail {
constexpr size_t kHuge = size_t{2} << 20;
constexpr size_t kMapFrom = size_t{1} << 20;  // smaller blocks come from malloc
inline size_t mapped_bytes(size_t bytes) { return (bytes + kHuge - 1) & ~(kHuge - 1); }
}  // namespace huge_detail

// Blocks of 1 MiB and more are mapped on their own, 2 MiB aligned, with huge pages asked for;
// smaller ones come from malloc. Free with huge_free and the same byte count.
inline void* huge_alloc(size_t bytes) {
  using namespace huge_detail;
  if (bytes < kMapFrom) {
    void* p = std::malloc(bytes ? bytes : 1);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const size_t len = mapped_bytes(bytes);
  void* raw = ::mmap(nullptr, len + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHuge - 1) & ~(kHuge - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t tail = aligned + len, end = start + len + kHuge;
  if (end > tail) ::munmap(reinterpret_cast<void*>(tail), end - tail);
  ::madvise(reinterpret_cast<void*>(aligned), len, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

inline void huge_free(void* p, size_t bytes) noexcept {
  using namespace huge_detail;
  if (!p) return;
  if (bytes < kMapFrom) std::free(p);
  else ::munmap(p, mapped_bytes(bytes));
}

// For std::vector: BigVector<T> is a vector whose large buffers get huge pages.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return static_cast<T*>(huge_alloc(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { huge_free(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

template <typename T>
using BigVector = std::vector<T, HugePageAllocator<T>>;

// Reserves a guessed element count, capped at 1 GiB of address space so a guess for a huge input
// cannot fail under the kernel's overcommit heuristic; past the cap the vector grows as usual.
template <typename T>
void reserve_guess(BigVector<T>& v, size_t n) {
  v.reserve(std::min(n, (size_t{1} << 30) / sizeof(T)));
}

}  // namespace perfkit
