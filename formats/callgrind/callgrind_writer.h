// A profile out in the callgrind format (for KCachegrind, QCachegrind, callgrind_annotate,
// gprof2dot). Every value type is an event (`type(unit)`, or the bare type for unit "count");
// a function is a frame's (function, file, mapping object).
// From stacks: a function's self cost is the cost of the stacks it ends (at the leaf frame's
// line); a call edge caller -> callee carries the cost of every stack in which the callee is
// first entered from that caller, and `calls=` counts those samples. Re-entering a function already
// on the stack (recursion) is not written as a call, so callgrind_annotate --inclusive=yes and
// KCachegrind's inclusive cost equal perfkit's cum (a stack counted once). When a function is both
// a stack root and called, a "(root)" function calling every root keeps that true.
// From a function table with a call graph (pstats): self = the row's self time, each caller edge
// the callee's cumulative time from that caller, with its real call count; self calls left out.
#pragma once
#include <string>

#include "lib/profile.h"

namespace perfkit {

// `note` receives what the conversion left out.
std::string write_callgrind(const Profile& p, std::string* note = nullptr);

}  // namespace perfkit
