// Which total a function table's shares are of (lib/aggregate.h, FlatTable::total): the larger of
// the sum of self times and the largest inclusive time (ttot). A table that leaves functions out
// (yappi without builtins, a /stats endpoint's filtered rows) has self times adding up to less than
// its root's ttot; the root's ttot is then the total, and the renderers say so with these words.
#pragma once
#include <string>

#include "lib/aggregate.h"
#include "lib/profile.h"

namespace perfkit {

// "main's ttot", or "" when the total is the sum of self times (or the input is not a table).
std::string table_total_source(const Profile& p, const FlatTable& t);

// One sentence for a header or a note: "551ms is the ttot of main, the largest inclusive time; the
// self times of the 16 rows add up to 450ms (81.6%), the rest is in functions the table does not
// list"; "" when the sum of self times is the total.
std::string table_total_note(const Profile& p, const FlatTable& t);

}  // namespace perfkit
