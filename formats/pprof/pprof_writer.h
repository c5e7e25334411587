// Writes any Profile (read from pprof, or stacks made from a trace, folded stacks...) as a pprof
// profile.proto that `go tool pprof` reads: one function per (name, file), one location per
// physical frame with the frames inlined into it as extra lines (innermost first), samples with
// leaf-first location ids, labels and metadata. The bytes are a pure function of the Profile
// (no timestamps; the gzip header's mtime is 0).
#pragma once
#include <string>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

std::string write_pprof(const Profile& p, bool gzip = true);

// Only the value types at these indexes of p.value_types, in this order (e.g. `convert
// --sample-index`). default_sample_type is kept only when it is among them.
std::string write_pprof(const Profile& p, const std::vector<int>& value_indexes, bool gzip = true);

// gzip with a fixed header (mtime 0), for writers that want the same bytes every time.
std::string gzip_bytes(std::string_view data);

}  // namespace perfkit
