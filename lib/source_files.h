// Where a file named by a profile is in a source tree: for annotations (GitHub drops those on
// files that are not in the repository).
#pragma once
#include <string>

namespace perfkit {

// `file` as a path relative to `root` when it exists there as a regular file: as given when it
// is relative, relative to root when it is absolute and under root, else (absolute build paths
// such as /home/runner/work/app/app/pkg/x.go, or paths from another checkout) its longest tail of
// at least two components that exists under root. "" when none does.
std::string find_source_file(const std::string& file, const std::string& root);

}  // namespace perfkit
