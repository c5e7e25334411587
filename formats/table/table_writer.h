// A function table out, in yappi's wide print_all layout (name ncall tsub ttot tavg, seconds),
// which the table reader reads back. Stack profiles become one row per function: tsub = flat
// (self), ttot = cum (inclusive, recursion counted once), ncall from the input when known.
#pragma once
#include <string>

#include "lib/profile.h"

namespace perfkit {

// value_index < 0: the profile's default. `note` receives what the conversion lost.
std::string write_table(const Profile& p, int value_index, std::string* note = nullptr);

}  // namespace perfkit
