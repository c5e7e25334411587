// The stack trie's edge index: (parent, frame) -> child, as a flat open-addressing hash table.
// A trie of a large profile has millions of edges; std::unordered_map spends a heap node per edge
// (and its identity hash clusters (parent << 32 | frame) keys), this spends 12 bytes a slot.
#pragma once
#include <cstdint>
#include <vector>

namespace perfkit {

class EdgeIndex {
 public:
  // The child of (parent, frame), or 0 when absent (node 0, the root, is nobody's child).
  uint32_t find(uint32_t parent, uint32_t frame) const {
    if (slots_.empty()) return 0;
    for (size_t i = slot_of(parent, frame);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.child == 0) return 0;
      if (s.parent == parent && s.frame == frame) return s.child;
    }
  }

  // Returns the child of (parent, frame), inserting `child` first if there is none.
  uint32_t find_or_insert(uint32_t parent, uint32_t frame, uint32_t child) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    for (size_t i = slot_of(parent, frame);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.child == 0) {
        s = Slot{parent, frame, child};
        ++size_;
        return child;
      }
      if (s.parent == parent && s.frame == frame) return s.child;
    }
  }

  size_t size() const { return size_; }
  void reserve(size_t edges) {
    while (edges * 4 > slots_.size() * 3) grow();
  }

 private:
  struct Slot {
    uint32_t parent = 0;
    uint32_t frame = 0;
    uint32_t child = 0;  // 0 = empty
  };

  size_t slot_of(uint32_t parent, uint32_t frame) const {
    uint64_t k = (static_cast<uint64_t>(parent) << 32 | frame) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(k >> 32 ^ k) & mask_;
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.child == 0) continue;
      size_t i = slot_of(s.parent, s.frame);
      while (slots_[i].child != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace perfkit
