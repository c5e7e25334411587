#include "lib/profile.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "lib/errors.h"

namespace perfkit {

Profile::Profile() {
  stacks_.push_back(StackNode{0, 0, 0});
  links_.push_back(Link{});
}

size_t Profile::FrameHash::operator()(const Frame& f) const noexcept {
  uint64_t h = f.function;
  h = h * 0x9E3779B97F4A7C15ULL + f.file;
  h = h * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(f.line);
  h = h * 0x9E3779B97F4A7C15ULL + (f.inlined ? 1 : 0) + (f.unsymbolized ? 2 : 0) + (f.lineless ? 4 : 0);
  h = h * 0x9E3779B97F4A7C15ULL + f.mapping;
  h = h * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(f.start_line);
  h = h * 0x9E3779B97F4A7C15ULL + f.address;
  return static_cast<size_t>(h ^ (h >> 29));
}

FrameId Profile::intern_frame(const Frame& f) {
  auto [it, inserted] = frame_index_.try_emplace(f, static_cast<FrameId>(frames_.size()));
  if (inserted) frames_.push_back(f);
  return it->second;
}

void Profile::set_frame_function(FrameId id, StrId function) {
  Frame& f = frames_[id];
  if (f.function == function) return;
  if (auto it = frame_index_.find(f); it != frame_index_.end() && it->second == id)
    frame_index_.erase(it);
  f.function = function;
  frame_index_.try_emplace(f, id);  // an equal frame already there keeps its entry
}

// Children scanned in a list before a node's children go to the hash index: each scanned
// sibling is a likely cache miss, as is one probe of the index.
constexpr uint32_t kScanChildren = 2;

StackId Profile::child(StackId parent, FrameId frame) {
  build_deferred_stacks();
  link_all_nodes();
  return link_child(parent, frame);
}

// Gives the nodes made without links (a trie built from lists by build_trie_from_lists) their
// links and index entries, as link_child would have on making each in id order.
void Profile::link_all_nodes() const {
  if (links_.size() == stacks_.size()) return;
  reserve_guess(links_, stacks_.capacity());
  for (auto next = static_cast<StackId>(links_.size()); next < stacks_.size(); ++next) {
    const StackNode& n = stacks_[next];
    StackId first = links_[n.parent].first_child;
    if (first & kIndexed) {
      stack_index_.find_or_insert(n.parent, n.frame, next);
    } else {
      uint32_t seen = 0;
      for (StackId c = first; c != 0 && seen < kScanChildren; c = links_[c].next_sibling) ++seen;
      if (seen >= kScanChildren) {
        for (StackId c = first; c != 0; c = links_[c].next_sibling)
          stack_index_.find_or_insert(n.parent, links_[c].frame, c);
        stack_index_.find_or_insert(n.parent, n.frame, next);
        first |= kIndexed;
      }
    }
    links_.push_back(Link{n.frame, 0, first & ~kIndexed});
    links_[n.parent].first_child = next | (first & kIndexed);
  }
}

StackId Profile::link_child(StackId parent, FrameId frame) const {
  auto next = static_cast<StackId>(stacks_.size());
  StackId first = links_[parent].first_child;
  if (first & kIndexed) {
    StackId id = stack_index_.find_or_insert(parent, frame, next);
    if (id != next) return id;
  } else {
    uint32_t seen = 0;
    for (StackId c = first; c != 0; c = links_[c].next_sibling, ++seen)
      if (links_[c].frame == frame) return c;
    if (seen >= kScanChildren) {  // the next child makes too many to scan: index them all
      for (StackId c = first; c != 0; c = links_[c].next_sibling)
        stack_index_.find_or_insert(parent, links_[c].frame, c);
      stack_index_.find_or_insert(parent, frame, next);
      first |= kIndexed;
    }
  }
  stacks_.push_back(StackNode{parent, frame, stacks_[parent].depth + 1});
  links_.push_back(Link{frame, 0, first & ~kIndexed});
  links_[parent].first_child = next | (first & kIndexed);
  return next;
}

void Profile::add_sample(StackId stack, const int64_t* values, const Label* labels,
                         uint32_t label_count) {
  build_deferred_stacks();
  add_list_sample(stack, values, labels, label_count);
}

// Lists are ids of their own: they cannot join samples that already name trie nodes.
void Profile::start_lists() {
  if (!deferred_ && !samples_.empty())
    throw std::logic_error("stack lists added after samples with trie stacks");
  deferred_ = true;
}

uint32_t Profile::add_stack_list(const FrameId* root_first, size_t count) {
  start_lists();
  list_frames_.insert(list_frames_.end(), root_first, root_first + count);
  list_begin_.push_back(static_cast<uint32_t>(list_frames_.size()));
  return static_cast<uint32_t>(list_begin_.size() - 2);
}

uint32_t Profile::add_stack_lists(BigVector<uint32_t>& begin, BigVector<FrameId>& frames) {
  start_lists();
  if (list_frames_.empty() && list_begin_.size() == 1) {
    list_begin_.swap(begin);
    list_frames_.swap(frames);
    return 0;
  }
  const auto first = static_cast<uint32_t>(list_begin_.size() - 1);
  for (size_t l = 0; l + 1 < begin.size(); ++l)
    add_stack_list(frames.data() + begin[l], begin[l + 1] - begin[l]);
  return first;
}

void Profile::add_list_samples(BigVector<Sample>& samples, BigVector<int64_t>& values,
                               BigVector<Label>& labels, uint32_t first_list) {
  if (!deferred_) throw std::logic_error("add_list_samples without stack lists");
  if (samples_.empty() && first_list == 0) {
    samples_.swap(samples);
    values_.swap(values);
    labels_.swap(labels);
    return;
  }
  const auto label_base = static_cast<uint32_t>(labels_.size());
  samples_.reserve(samples_.size() + samples.size());
  for (Sample s : samples) {
    s.stack += first_list;
    s.label_begin += label_base;
    samples_.push_back(s);
  }
  values_.insert(values_.end(), values.begin(), values.end());
  labels_.insert(labels_.end(), labels.begin(), labels.end());
}

void Profile::add_list_sample(uint32_t list, const int64_t* values, const Label* labels,
                              uint32_t label_count) {
  Sample s;
  s.stack = list;
  s.label_begin = static_cast<uint32_t>(labels_.size());
  s.label_count = label_count;
  samples_.push_back(s);
  values_.insert(values_.end(), values, values + value_types.size());
  if (label_count) labels_.insert(labels_.end(), labels, labels + label_count);
}

namespace {

// The trie's edges while build_trie_from_lists makes it: (parent, frame) -> child in an
// open-addressing table whose slot comes from a hash of the child's whole path (its frames from
// the root), not of (parent, frame). Those hashes follow from the lists alone, before any node is
// known, so the slots of the frames a few dozen positions further on are prefetched while this
// one is looked up: a lookup is a cache line fetched ahead, where a walk of a node's children is
// a chain of misses each waiting for the one before. Equal (parent, frame) are equal paths, so
// they hash to the same slot; a slot whose hash matches is checked against the node's parent and
// frame, so paths whose hashes collide stay apart. 8 bytes a slot, at most 3/4 full, on huge
// pages (its first touch costs as much as its use: page zeroing); freed when the trie is built.
class PathEdges {
 public:
  PathEdges(const BigVector<StackNode>& nodes, size_t expected) : nodes_(nodes) {
    size_t slots = 1024;
    while (slots / 4 * 3 < expected) slots *= 2;
    allocate(slots);
  }
  PathEdges(const PathEdges&) = delete;
  PathEdges& operator=(const PathEdges&) = delete;
  ~PathEdges() { huge_free(slots_, (mask_ + 1) * sizeof(Slot)); }

  // The hash of the path `prev` (kRootHash for the root) extended by `frame`.
  static constexpr uint64_t kRootHash = 0x9E3779B97F4A7C15ULL;
  static uint64_t extend(uint64_t prev, FrameId frame) {
    uint64_t h = (prev ^ frame) * 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 32);
  }
  void prefetch(uint64_t path) const { __builtin_prefetch(&slots_[place(path) & mask_]); }
  // The node of the path's first slot, to check it against (once the slot has come in).
  void prefetch_node(uint64_t path) const {
    const Slot s = slots_[place(path) & mask_];
    if (s.child != 0) __builtin_prefetch(&nodes_[s.child]);
  }

  // The child of (parent, frame), whose path hashes to `path`, or 0 if there is none yet.
  StackId find(uint64_t path, StackId parent, FrameId frame) {
    const uint32_t pl = place(path);
    for (size_t i = pl & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.child == 0) {
        empty_ = i;
        return 0;
      }
      if (s.place == pl && nodes_[s.child].parent == parent && nodes_[s.child].frame == frame)
        return s.child;
    }
  }
  // Adds `child` (the last node of nodes_) where the find just before ended.
  void insert_found_empty(uint64_t path, StackId child) {
    slots_[empty_] = Slot{place(path), child};
    if (++size_ * 4 > (mask_ + 1) * 3) grow();
  }

 private:
  struct Slot {
    uint32_t place, child;  // child 0: empty (the root is nobody's child)
  };
  static uint32_t place(uint64_t path) { return static_cast<uint32_t>(path >> 32); }
  void allocate(size_t slots) {  // mapped memory comes zeroed: every slot empty
    slots_ = static_cast<Slot*>(huge_alloc(slots * sizeof(Slot)));
    if (slots * sizeof(Slot) < huge_detail::kMapFrom) std::fill(slots_, slots_ + slots, Slot{});
    mask_ = slots - 1;
  }
  void grow() {
    Slot* old = slots_;
    const size_t old_slots = mask_ + 1;
    allocate(old_slots * 2);
    for (size_t k = 0; k < old_slots; ++k) {
      if (old[k].child == 0) continue;
      size_t i = old[k].place & mask_;
      while (slots_[i].child != 0) i = (i + 1) & mask_;
      slots_[i] = old[k];
    }
    huge_free(old, old_slots * sizeof(Slot));
  }
  const BigVector<StackNode>& nodes_;
  Slot* slots_ = nullptr;
  size_t mask_ = 0;
  size_t size_ = 0;
  size_t empty_ = 0;
};

}  // namespace

// Each list is walked from the root; the last (parent -> node) seen per frame is remembered,
// which skips the trie lookups for the shared root-side prefix most stacks of a profile have.
// Nodes are made in the order a walk of the lists by link_child makes them (so their ids are
// the same), but looked up in a PathEdges table; their links are made only if child() is called
// afterwards (link_all_nodes). A trie that already has nodes is extended by link_child.
void Profile::build_trie_from_lists() const {
  const size_t lists = list_begin_.size() - 1;
  std::vector<StackId> list_stack(lists);
  constexpr StackId kNone = UINT32_MAX;
  std::vector<StackId> memo_parent(frames_.size(), kNone), memo_node(frames_.size(), 0);
  // A list frame makes at most one node: room for all of them, so the vector never regrows
  // (a regrowth copies every node so far into fresh pages, and needs both copies at once). Room
  // not used is address space only (BigVector maps it; untouched pages are never faulted in).
  reserve_guess(stacks_, stacks_.size() + list_frames_.size());
  const uint32_t* begin = list_begin_.data();
  const FrameId* frames = list_frames_.data();
  if (stacks_.size() == 1) {
    // Large profiles' tries have about a quarter of their list frames as nodes; more regrows.
    PathEdges edges(stacks_, list_frames_.size() / 4);
    const size_t total = list_frames_.size();
    // The path hashes of positions [ahead - kRing, ahead) of list_frames_, by position % kRing;
    // `ahead` runs kAhead positions before the frame looked up, in list `ahead_list`: its slot
    // is prefetched there, and the node in the slot kAhead / 2 positions later.
    constexpr size_t kAhead = 32, kRing = 64;
    uint64_t ring[kRing];
    size_t ahead = 0, ahead_list = 0;
    auto hash_ahead = [&](size_t until) {
      for (; ahead < until; ++ahead) {
        while (begin[ahead_list + 1] <= ahead) ++ahead_list;
        const uint64_t prev = ahead == begin[ahead_list] ? PathEdges::kRootHash
                                                         : ring[(ahead - 1) % kRing];
        const uint64_t h = PathEdges::extend(prev, frames[ahead]);
        ring[ahead % kRing] = h;
        edges.prefetch(h);
        if (ahead >= kAhead / 2) edges.prefetch_node(ring[(ahead - kAhead / 2) % kRing]);
      }
    };
    for (size_t l = 0; l < lists; ++l) {
      StackId s = kEmptyStack;
      for (uint32_t i = begin[l]; i < begin[l + 1]; ++i) {
        hash_ahead(std::min(total, size_t{i} + kAhead));
        const FrameId f = frames[i];
        if (memo_parent[f] == s) {
          s = memo_node[f];
          continue;
        }
        memo_parent[f] = s;
        const uint64_t path = ring[i % kRing];
        StackId c = edges.find(path, s, f);
        if (c == 0) {
          c = static_cast<StackId>(stacks_.size());
          stacks_.push_back(StackNode{s, f, i - begin[l] + 1});
          edges.insert_found_empty(path, c);
        }
        s = memo_node[f] = c;
      }
      list_stack[l] = s;
    }
  } else {
    link_all_nodes();
    reserve_guess(links_, stacks_.capacity());
    for (size_t l = 0; l < lists; ++l) {
      StackId s = kEmptyStack;
      for (uint32_t i = begin[l]; i < begin[l + 1]; ++i) {
        FrameId f = frames[i];
        if (memo_parent[f] == s) {
          s = memo_node[f];
          continue;
        }
        memo_parent[f] = s;
        s = memo_node[f] = link_child(s, f);
      }
      list_stack[l] = s;
    }
  }
  for (Sample& s : samples_) s.stack = list_stack[s.stack];
  BigVector<uint32_t>{0}.swap(list_begin_);
  BigVector<FrameId>().swap(list_frames_);
  deferred_ = false;
}

void Profile::add_label_to_samples(const Label& l) {
  BigVector<Label> out;
  out.reserve(labels_.size() + samples_.size());
  for (Sample& s : samples_) {
    const uint32_t begin = static_cast<uint32_t>(out.size());
    for (uint32_t k = 0; k < s.label_count; ++k)
      if (labels_[s.label_begin + k].key != l.key) out.push_back(labels_[s.label_begin + k]);
    out.push_back(l);
    s.label_begin = begin;
    s.label_count = static_cast<uint32_t>(out.size()) - begin;
  }
  labels_.swap(out);
}

std::vector<FrameId> Profile::stack_frames(StackId id) const {
  build_deferred_stacks();
  std::vector<FrameId> out(stacks_[id].depth);
  for (size_t i = out.size(); id != kEmptyStack; id = stacks_[id].parent) out[--i] = stacks_[id].frame;
  return out;
}

uint64_t Profile::written_stack_frames(bool per_sample) const {
  const size_t stacks = deferred_ ? list_begin_.size() - 1 : stacks_.size();
  std::vector<uint8_t> seen(per_sample ? 0 : stacks, 0);
  uint64_t total = 0;
  for (const Sample& s : samples_) {
    if (!per_sample) {
      if (seen[s.stack]) continue;
      seen[s.stack] = 1;
    }
    total += deferred_ ? list_begin_[s.stack + 1] - list_begin_[s.stack] : stacks_[s.stack].depth;
  }
  return total;
}

void check_written_stack_frames(const Profile& p, std::string_view format, bool per_sample) {
  const uint64_t frames = p.written_stack_frames(per_sample);
  if (frames <= kMaxWrittenStackFrames) return;
  throw InputError::in_file(
      p.path, fmt::format("its stacks add up to {} frames, more than the {} a {} file is written "
                          "with: {} lists every {} in full (a trace's N nested spans are "
                          "N(N+1)/2 frames); flame, top and report read the stacks as a tree, "
                          "and convert --to chrome keeps the spans",
                          frames, kMaxWrittenStackFrames, format, format,
                          per_sample ? "sample's stack" : "distinct stack"));
}

int Profile::find_value_type(std::string_view type) const {
  for (size_t i = 0; i < value_types.size(); ++i)
    if (strings[value_types[i].type] == type) return static_cast<int>(i);
  return -1;
}

int Profile::default_value_index() const {
  if (value_types.empty()) return -1;
  if (meta.default_sample_type != 0) {
    int i = find_value_type(strings[meta.default_sample_type]);
    if (i >= 0) return i;
  }
  return static_cast<int>(value_types.size()) - 1;
}

}  // namespace perfkit
