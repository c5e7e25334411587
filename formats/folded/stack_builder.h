// Turns lines of frame names into stack ids fast: frame names are interned through a flat hash
// keyed by views into the input (no std::string per frame), trie edges are looked up in a flat
// table before the Profile's own, and the previous line's path is reused while the frames agree
// (consecutive folded lines often share a long prefix).
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

inline uint64_t hash_text(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, p, n);
  h = (h ^ w) * 0x94d049bb133111ebULL;
  return h ^ (h >> 29);
}

class StackBuilder {
 public:
  // The views given to frame() must stay valid while the builder lives.
  explicit StackBuilder(Profile& p) : p_(p) {
    names_.resize(1024);
    edges_.resize(1024);
  }

  // Starts a new line: frames follow root first.
  void begin_line() {
    depth_ = 0;
    matching_ = true;
    stack_ = kEmptyStack;
  }

  void frame(std::string_view name) {
    if (matching_ && depth_ < prev_.size() && prev_[depth_].name == name) {
      stack_ = prev_[depth_].stack;
    } else {
      matching_ = false;
      stack_ = edge(stack_, frame_id(name));
      if (depth_ < prev_.size())
        prev_[depth_] = {name, stack_};
      else
        prev_.push_back({name, stack_});
    }
    ++depth_;
  }

  // The stack of the line; the remembered path is cut to this line's depth.
  StackId end_line() {
    prev_.resize(depth_);
    return stack_;
  }

 private:
  struct NameSlot {
    uint64_t hash = 0;
    const char* data = nullptr;
    uint32_t size = 0;
    uint32_t id_plus_1 = 0;  // 0 = empty slot
  };
  struct EdgeSlot {
    uint64_t key = 0;
    StackId child = 0;  // 0 = empty slot (the root is never a child)
  };
  struct PathEntry {
    std::string_view name;
    StackId stack;
  };

  FrameId frame_id(std::string_view name) {
    uint64_t h = hash_text(name.data(), name.size());
    size_t mask = names_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      NameSlot& s = names_[i];
      if (s.id_plus_1 == 0) {
        Frame f;
        f.function = p_.strings.intern(name);
        FrameId id = p_.intern_frame(f);
        s = NameSlot{h, name.data(), static_cast<uint32_t>(name.size()), id + 1};
        if (++name_count_ * 2 > names_.size()) grow_names();
        return id;
      }
      if (s.hash == h && s.size == name.size() && memcmp(s.data, name.data(), name.size()) == 0)
        return s.id_plus_1 - 1;
    }
  }

  StackId edge(StackId parent, FrameId frame) {
    uint64_t key = (static_cast<uint64_t>(parent) << 32) | frame;
    size_t mask = edges_.size() - 1;
    for (size_t i = edge_hash(key) & mask;; i = (i + 1) & mask) {
      EdgeSlot& s = edges_[i];
      if (s.child == 0) {
        StackId child = p_.child(parent, frame);
        s = EdgeSlot{key, child};
        if (++edge_count_ * 2 > edges_.size()) grow_edges();
        return child;
      }
      if (s.key == key) return s.child;
    }
  }

  static uint64_t edge_hash(uint64_t key) { return (key * 0x9E3779B97F4A7C15ULL) >> 20; }

  // Doubles an open-addressing table and re-inserts its slots at home(slot).
  template <class Slot, class IsEmpty, class Home>
  static void grow(std::vector<Slot>& table, IsEmpty is_empty, Home home) {
    std::vector<Slot> old(table.size() * 2);
    old.swap(table);
    size_t mask = table.size() - 1;
    for (const Slot& s : old) {
      if (is_empty(s)) continue;
      size_t i = home(s) & mask;
      while (!is_empty(table[i])) i = (i + 1) & mask;
      table[i] = s;
    }
  }
  void grow_names() {
    grow(names_, [](const NameSlot& s) { return s.id_plus_1 == 0; },
         [](const NameSlot& s) { return s.hash; });
  }
  void grow_edges() {
    grow(edges_, [](const EdgeSlot& s) { return s.child == 0; },
         [](const EdgeSlot& s) { return edge_hash(s.key); });
  }

  Profile& p_;
  std::vector<NameSlot> names_;
  std::vector<EdgeSlot> edges_;
  size_t name_count_ = 0;
  size_t edge_count_ = 0;
  std::vector<PathEntry> prev_;
  size_t depth_ = 0;
  bool matching_ = true;
  StackId stack_ = kEmptyStack;
};

}  // namespace perfkit
