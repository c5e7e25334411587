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
    if (slots_.empty() || !fits(begin, len)) return UINT32_MAX;
    const auto tag = static_cast<uint32_t>(hash);
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.where == kEmpty) return UINT32_MAX;
      if (s.tag == tag && s.len() == len &&
          std::memcmp(base_ + s.begin(), base_ + begin, len) == 0)
        return s.value;
    }
  }

  // Prefetch hints for a lookup soon: the hash's first slot, then (once that is in cache) the
  // bytes the slot names, which find compares.
  void prefetch_slot(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<uint32_t>(hash) & mask_]);
  }
  void prefetch_bytes(uint64_t hash) const {
    if (slots_.empty()) return;
    const Slot& s = slots_[static_cast<uint32_t>(hash) & mask_];
    if (s.where == kEmpty) return;
    __builtin_prefetch(base_ + s.begin());
    if (s.len() > 64) __builtin_prefetch(base_ + s.begin() + 64);
  }

  // The value of the bytes; when not seen yet, make() decodes them and its result is stored
  // (a run past kMaxLen bytes, or past kMaxBegin into the buffer, is not: it is decoded each
  // time).
  template <typename Make>
  uint32_t find_or_add(size_t begin, uint32_t len, uint64_t hash, Make make) {
    uint32_t value = find(begin, len, hash);
    if (value != UINT32_MAX) return value;
    value = make();
    if (!fits(begin, len)) return value;
    if ((size_ + 1) * 2 > slots_.size() && slots_.size() < (size_t{1} << 32)) grow();
    if (size_ + 1 >= slots_.size()) return value;  // full (2^32 runs): no longer stored
    place(Slot{static_cast<uint32_t>(hash), value, uint64_t{begin} << kLenBits | len});
    ++size_;
    return value;
  }

 private:
  // A slot is 16 bytes: the hash's low half (its low bits pick the slot, the rest are compared
  // before the bytes), the value, and where the bytes are (offset and length in one word).
  static constexpr unsigned kLenBits = 28;  // runs up to 256 MiB, offsets up to 64 GiB
  static constexpr uint64_t kMaxLen = (uint64_t{1} << kLenBits) - 2;
  static constexpr uint64_t kMaxBegin = (uint64_t{1} << (64 - kLenBits)) - 2;
  static constexpr uint64_t kEmpty = UINT64_MAX;
  struct Slot {
    uint32_t tag = 0;
    uint32_t value = 0;
    uint64_t where = kEmpty;
    size_t begin() const { return static_cast<size_t>(where >> kLenBits); }
    uint32_t len() const { return static_cast<uint32_t>(where & ((uint64_t{1} << kLenBits) - 1)); }
  };
  static bool fits(size_t begin, uint32_t len) { return len <= kMaxLen && begin <= kMaxBegin; }

  void place(const Slot& slot) {
    size_t i = slot.tag & mask_;
    while (slots_[i].where != kEmpty) i = (i + 1) & mask_;
    slots_[i] = slot;
  }

  // Up to 2^32 slots: a slot's tag (the hash's low half) is also where it goes.
  void grow() {
    BigVector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 4096 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old)
      if (s.where != kEmpty) place(s);
  }

  const uint8_t* base_;
  BigVector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace perfkit::pprof
