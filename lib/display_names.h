// Display rewrites of the names in a profile, applied after reading and before any analysis.
#pragma once
#include <cstddef>

#include "lib/profile.h"

namespace perfkit {

// --simplify-names: every symbolized frame's function name replaced by the name pprof's
// symbolizer prints for it by default (lib/cpp_names.h: no parameters, template arguments,
// return type or clone suffix). Analyses key their nodes by the name, so functions that share a
// simplified name (overloads, template instances, clones) become one row, as they are in a
// profile pprof symbolized. Names that are not demangled C++ stay as they are. Returns how many
// distinct names changed.
size_t simplify_frame_names(Profile& p);

}  // namespace perfkit
