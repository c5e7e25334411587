// Maps a run of bytes of the input (a sample's packed location_id field, or its label fields) to
// what it decoded to, so a repeated run (most samples of a CPU profile repeat an earlier location
// list and label set) costs one hash of its bytes and one compare instead of a decode. Keys are
// views into the input buffer, which outlives the reader.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>

#include "lib/hash_bytes.h"
#include "lib/huge_pages.h"

namespace perfkit::pprof {

class ByteRunCache {
 public:
  explicit ByteRunCache(const uint8_t* base) : base_(base) {}

  // The value of bytes [begin, begin + len), or UINT32_MAX when not seen yet.
  uint32_t find(size_t begin, uint32_t len, uint64_t hash) const {
    if (slots_.empty()) return UINT32_MAX;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.len == kEmpty) return UINT32_MAX;
      if (s.hash == hash && s.len == len && std::memcmp(base_ + s.begin, base_ + begin, len) == 0)
        return s.value;
    }
  }

  // Prefetch hints for a lookup soon: the hash's first slot, then (once that is in cache) the
  // bytes the slot names, which find compares.
  void prefetch_slot(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }
  void prefetch_bytes(uint64_t hash) const {
    if (slots_.empty()) return;
    const Slot& s = slots_[hash & mask_];
    if (s.len == kEmpty) return;
    __builtin_prefetch(base_ + s.begin);
    if (s.len > 64) __builtin_prefetch(base_ + s.begin + 64);
  }

  // The value of the bytes; when not seen yet, make() decodes them and its result is stored.
  template <typename Make>
  uint32_t find_or_add(size_t begin, uint32_t len, uint64_t hash, Make make) {
    uint32_t value = find(begin, len, hash);
    if (value != UINT32_MAX) return value;
    value = make();
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(Slot{hash, begin, len, value});
    ++size_;
    return value;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t hash = 0;
    size_t begin = 0;
    uint32_t len = kEmpty;
    uint32_t value = 0;
  };

  void place(const Slot& slot) {
    size_t i = slot.hash & mask_;
    while (slots_[i].len != kEmpty) i = (i + 1) & mask_;
    slots_[i] = slot;
  }

  void grow() {
    BigVector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 4096 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old)
      if (s.len != kEmpty) place(s);
  }

  const uint8_t* base_;
  BigVector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace perfkit::pprof
