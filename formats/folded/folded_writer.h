// Folded stacks out: `root;child;leaf COUNT` lines, as stackcollapse writes them, for
// flamegraph.pl, inferno, speedscope; and the two-count differential form difffolded.pl writes.
#pragma once
#include <string>

#include "lib/profile.h"
#include "lib/text_out.h"

namespace perfkit {

// One line per distinct stack text with a nonzero weight, sorted by the stack text (bytewise),
// so the same profile always gives the same bytes. Frames are function names; a ';' inside a
// name becomes ':', control characters become '?', an empty name becomes "[unknown]" (or
// "file:line" when the frame has a file). Stacks whose frames print the same are merged.
// Counts are integers: values are divided by the value type's scale and rounded half away from
// zero; stacks with a negative weight or one that rounds to 0 are left out.
// value_index < 0 picks the profile's default value type. A value_index out of range is a
// UsageError. When `note` is given it receives what was rounded or left out ("" if nothing).
std::string write_folded(const Profile& p, int value_index, std::string* note = nullptr);
// The same, streamed to a sink (a profile's deferred stack lists are read as they are: the stack
// trie is not built). Errors are thrown before anything is written.
void write_folded(const Profile& p, int value_index, ByteSink& out, std::string* note = nullptr);

// `stack BASE NEW` over the union of both profiles' stacks (matched by their printed text), with
// 0 where a stack is missing; sorted by the stack text. value_index names a value type of `base`
// (< 0: each profile's default); `neu` uses its value type of the same name (a UsageError if it
// has none). normalize scales the base counts by total(new)/total(base), truncated, as
// difffolded.pl -n does.
std::string write_folded_diff(const Profile& base, const Profile& neu, int value_index,
                              bool normalize, std::string* note = nullptr);
void write_folded_diff(const Profile& base, const Profile& neu, int value_index, bool normalize,
                       ByteSink& out, std::string* note = nullptr);

}  // namespace perfkit
