// pprof's drop_frames / keep_frames (profile/prune.go, RemoveUninteresting): a frame whose
// simplified function name fully matches drop_frames and not keep_frames is removed together with
// every frame on its leaf side; pruning never starts before the first non-matching location
// counted from the root.
#pragma once
#include <cstdint>
#include <vector>

#include "lib/profile.h"
#include "lib/regex.h"

namespace perfkit::pprof {

enum class PruneMark : uint8_t {
  kNone,     // nothing in the location matches
  kBeneath,  // an inlined line matched: the location keeps only the lines on its root side
  kWhole,    // the physical (outermost) line matched: the whole location goes
};

class FramePruner {
 public:
  // Reads p.meta.drop_frames / keep_frames. A regex that does not compile becomes a warning and
  // disables pruning, as nothing sensible can be dropped.
  explicit FramePruner(Profile& p);
  bool active() const { return active_; }

  // frames: one location's frames, root first (physical line first, innermost inlined last).
  // Shrinks count when an inlined line matches.
  PruneMark mark_location(const FrameId* frames, uint32_t& count);

 private:
  bool matches(StrId function);

  Profile& p_;
  bool active_ = false;
  bool has_keep_ = false;
  Regex drop_;
  Regex keep_;
  std::vector<int8_t> cache_;  // by function StrId: -1 unknown, 0 keep, 1 drop
};

// Index (into a leaf-first location list) of the leaf-most location to keep: locations [0, result)
// are pruned. marks is indexed by location index.
size_t pruned_prefix(const uint32_t* locs_leaf_first, size_t n, const std::vector<PruneMark>& marks);

}  // namespace perfkit::pprof
