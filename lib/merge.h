// Summing stack profiles (pprof, folded, a trace's span stacks) the way pprof's profile.Merge
// does, one input at a time: a ProfileMerger folds each input into its running result, so the
// caller can free an input as soon as it is added (memory: the result plus the input at hand).
//
// Rules (pprof's measurement.ScaleProfiles, then profile.Merge):
// - the first input fixes the sample types, in order, and the period type; a later input must
//   have as many sample types with the same names, and the same period type name. Units must be
//   equal or of one dimension (time, memory): then every value is converted to the finer unit
//   (a merge of a milliseconds and a nanoseconds profile is in nanoseconds). Anything else is a
//   UsageError naming the input and the first input.
// - samples with the same stack and the same labels (in any order) are summed; an input's samples
//   whose values are all zero are skipped, and finish() drops samples that summed to zero.
// - metadata: earliest nonzero time, summed durations, the largest period (in the common unit),
//   comments deduplicated in order, drop/keep_frames and the main mapping of the first input,
//   default_sample_type and doc_url of the first input that has one.
// Associative and order-preserving: samples, strings and frames come out in order of first
// appearance, so folding contiguous runs of inputs into partial results and then the partials,
// in order, gives the same profile (the same write_pprof bytes) as folding the inputs one by one.
// Chrome fragments are merged on their raw events instead: formats/chrome/chrome_merge.h.
#pragma once
#include <memory>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

class ProfileMerger {
 public:
  ProfileMerger();
  ~ProfileMerger();
  ProfileMerger(ProfileMerger&&) noexcept;
  ProfileMerger& operator=(ProfileMerger&&) noexcept;

  // Folds `in` into the result. Throws UsageError when its types cannot merge (see above); the
  // result is then unchanged.
  void add(const Profile& in);
  size_t inputs() const;  // add() calls so far
  // The result, with samples that summed to zero removed. The merger is empty afterwards.
  Profile finish();
  // The result as it stands, for add() to another merger (a partial merge of a tree). Zero sums
  // are kept, so that the tree gives the same bytes as a one-by-one merge.
  Profile take_partial();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// All inputs through one ProfileMerger, in order; finish()ed.
Profile merge_profiles(const std::vector<const Profile*>& inputs);

}  // namespace perfkit
