// A hint that a large buffer about to be filled should get transparent huge pages: one page fault
// per 2 MiB instead of per 4 KiB. Harmless where THP is off or the range is too small.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace perfkit {

inline void ask_huge_pages(void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace perfkit
