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
  return link_child(parent, frame);
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

// Each list is walked from the root; the last (parent -> node) seen per frame is remembered,
// which skips the trie lookups for the shared root-side prefix most stacks of a profile have.
void Profile::build_trie_from_lists() const {
  const size_t lists = list_begin_.size() - 1;
  std::vector<StackId> list_stack(lists);
  constexpr StackId kNone = UINT32_MAX;
  std::vector<StackId> memo_parent(frames_.size(), kNone), memo_node(frames_.size(), 0);
  // A list frame makes at most one node: room for all of them, so the two vectors never regrow
  // (a regrowth copies every node so far into fresh pages, and needs both copies at once). Room
  // not used is address space only (BigVector maps it; untouched pages are never faulted in).
  reserve_guess(stacks_, stacks_.size() + list_frames_.size());
  reserve_guess(links_, stacks_.capacity());
  for (size_t l = 0; l < lists; ++l) {
    StackId s = kEmptyStack;
    for (uint32_t i = list_begin_[l]; i < list_begin_[l + 1]; ++i) {
      FrameId f = list_frames_[i];
      if (memo_parent[f] == s) {
        s = memo_node[f];
        continue;
      }
      memo_parent[f] = s;
      s = memo_node[f] = link_child(s, f);
    }
    list_stack[l] = s;
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
