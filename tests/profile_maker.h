// Test helper: a cpu/nanoseconds profile from root-first stacks of function names, one value each.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "lib/profile.h"

namespace perfkit::testing {

inline Profile make_cpu_profile(
    const std::vector<std::pair<std::vector<std::string>, int64_t>>& stacks) {
  Profile p;
  p.format = "pprof";
  p.value_types.push_back({p.strings.intern("cpu"), p.strings.intern("nanoseconds")});
  for (const auto& [names, v] : stacks) {
    StackId s = kEmptyStack;
    for (const auto& n : names) s = p.child(s, p.intern_frame({p.strings.intern(n), 0, 0, false}));
    p.add_sample(s, &v);
  }
  return p;
}

}  // namespace perfkit::testing
