#include "lib/profile.h"

#include <algorithm>

namespace perfkit {

Profile::Profile() {
  stacks_.push_back(StackNode{0, 0, 0});
  links_.push_back(Link{});
}

size_t Profile::FrameHash::operator()(const Frame& f) const noexcept {
  uint64_t h = f.function;
  h = h * 0x9E3779B97F4A7C15ULL + f.file;
  h = h * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(f.line);
  h = h * 0x9E3779B97F4A7C15ULL + (f.inlined ? 1 : 0);
  return static_cast<size_t>(h ^ (h >> 29));
}

FrameId Profile::intern_frame(const Frame& f) {
  auto [it, inserted] = frame_index_.try_emplace(f, static_cast<FrameId>(frames_.size()));
  if (inserted) frames_.push_back(f);
  return it->second;
}

// Children scanned in a list before a node's children go to the hash index: each scanned
// sibling is a likely cache miss, as is one probe of the index.
constexpr uint32_t kScanChildren = 2;

StackId Profile::child(StackId parent, FrameId frame) {
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
  Sample s;
  s.stack = stack;
  s.label_begin = static_cast<uint32_t>(labels_.size());
  s.label_count = label_count;
  samples_.push_back(s);
  values_.insert(values_.end(), values, values + value_types.size());
  if (label_count) labels_.insert(labels_.end(), labels, labels + label_count);
}

std::vector<FrameId> Profile::stack_frames(StackId id) const {
  std::vector<FrameId> out(stacks_[id].depth);
  for (size_t i = out.size(); id != kEmptyStack; id = stacks_[id].parent) out[--i] = stacks_[id].frame;
  return out;
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
