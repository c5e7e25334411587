// Summing stack profiles (pprof, folded, a trace's span stacks): same value types required
// (type and unit, in order). Strings, frames and stacks are re-interned into one profile;
// samples without labels are summed per stack, labelled samples are kept as they are. Metadata:
// earliest time, summed duration, largest period, comments deduplicated. Associative: the
// result of merge(merge(a, b), c) and merge(a, b, c) hold the same stacks with the same values.
// Chrome fragments are merged on their raw events instead: formats/chrome/chrome_merge.h.
#pragma once
#include <vector>

#include "lib/profile.h"

namespace perfkit {

// Throws UsageError naming the first input whose value types differ from the first's.
Profile merge_profiles(const std::vector<const Profile*>& inputs);

}  // namespace perfkit
