// Name rules of pprof shared by readers and analyses.
#pragma once
#include <string>
#include <string_view>

namespace perfkit {

// pprof's simplifyFunc (profile/prune.go): the name without a leading '.' (PPC ELF v1), cut at
// the first '(' that does not open one of the reserved names "(anonymous namespace)" and
// "operator()" (scanned left to right, a reserved name skipped whole).
std::string_view simplify_function_name(std::string_view name);

// Go's filepath.Base: the last element of a slash path, trailing slashes removed ("." for "").
std::string_view path_base(std::string_view path);

// The file name pprof shows for a function's file: its trimPath (a leading "/proc/self/cwd/./"
// or "/proc/self/cwd/" removed), then Go's filepath.Clean (one slash per separator, "." elements
// removed, ".." applied). "" stays "".
std::string pprof_clean_path(std::string_view path);

}  // namespace perfkit
