// Turns lines of frame names into stack ids fast:
// - frame names are interned through a flat hash keyed by views into the input (no std::string
//   per frame);
// - the previous line's path is reused while the frames agree (consecutive folded lines often
//   share a long prefix);
// - trie nodes are found in a flat table placed by a hash of the whole path from the root, which
//   is known before any lookup, so all of a line's slots are prefetched at once instead of one
//   dependent cache miss per frame. Only new nodes go through Profile::child.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "lib/hash_bytes.h"
#include "lib/huge_pages.h"
#include "lib/profile.h"

namespace perfkit {

class StackBuilder {
 public:
  // The views given to frame() must stay valid while the builder lives.
  explicit StackBuilder(Profile& p) : p_(p) {
    names_.resize(1024);
    nodes_.resize(1024);
  }

  // Starts a new line: frames follow root first.
  void begin_line() { line_.clear(); }
  void frame(std::string_view name) { line_.push_back(name); }

  // The stack of the line's frames.
  StackId end_line() {
    const size_t depth = line_.size();
    size_t k = 0;  // frames shared with the previous line
    while (k < depth && k < prev_.size() && prev_[k].name == line_[k]) ++k;
    uint64_t h = k ? prev_[k - 1].path_hash : kRootHash;
    prev_.resize(depth);
    const size_t mask = nodes_.size() - 1;
    for (size_t i = k; i < depth; ++i) {
      FrameId f = frame_id(line_[i]);
      h = path_hash(h, f);
      prev_[i] = PathEntry{line_[i], 0, f, h};
      __builtin_prefetch(&nodes_[h & mask]);
    }
    StackId s = k ? prev_[k - 1].stack : kEmptyStack;
    for (size_t i = k; i < depth; ++i) {
      s = node(s, prev_[i].frame, prev_[i].path_hash);
      prev_[i].stack = s;
    }
    return s;
  }

 private:
  static constexpr uint64_t kRootHash = 0x243F6A8885A308D3ULL;

  struct NameSlot {
    uint64_t hash = 0;
    const char* data = nullptr;
    uint32_t size = 0;
    uint32_t id_plus_1 = 0;  // 0 = empty slot
  };
  struct NodeSlot {
    uint32_t home = 0;  // low bits of the path hash
    StackId parent = 0;
    FrameId frame = 0;
    StackId child = 0;  // 0 = empty slot (the root is never a child)
  };
  struct PathEntry {
    std::string_view name;
    StackId stack;
    FrameId frame;
    uint64_t path_hash;
  };

  static uint64_t path_hash(uint64_t h, FrameId f) {
    h = (h ^ f) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
  }

  FrameId frame_id(std::string_view name) {
    uint64_t h = hash_bytes(name.data(), name.size());
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

  // The child of parent by frame; hash is the path hash of that child.
  StackId node(StackId parent, FrameId frame, uint64_t hash) {
    size_t mask = nodes_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      NodeSlot& s = nodes_[i];
      if (s.child == 0) {
        StackId child = p_.child(parent, frame);
        s = NodeSlot{static_cast<uint32_t>(hash), parent, frame, child};
        if (++node_count_ * 2 > nodes_.size()) grow_nodes();
        return child;
      }
      if (s.parent == parent && s.frame == frame) return s.child;
    }
  }

  // Doubles an open-addressing table and re-inserts its slots at home(slot).
  template <class Slot, class IsEmpty, class Home>
  static void grow(std::vector<Slot>& table, IsEmpty is_empty, Home home) {
    // Large tables are probed at random: huge pages spare a TLB miss on most probes.
    std::vector<Slot> old;
    old.reserve(table.size() * 2);
    ask_huge_pages(old.data(), old.capacity() * sizeof(Slot));
    old.resize(table.size() * 2);
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
  void grow_nodes() {
    grow(nodes_, [](const NodeSlot& s) { return s.child == 0; },
         [](const NodeSlot& s) { return static_cast<uint64_t>(s.home); });
  }

  Profile& p_;
  std::vector<NameSlot> names_;
  std::vector<NodeSlot> nodes_;  // at most 2^32 slots: home keeps 32 bits of the hash
  size_t name_count_ = 0;
  size_t node_count_ = 0;
  std::vector<std::string_view> line_;
  std::vector<PathEntry> prev_;
};

}  // namespace perfkit
