// Writing results: everything is rendered in memory first, then written in one commit.
// A file is written to "PATH.tmp-PID" beside the target, flushed, closed and renamed, so a failure
// never leaves a partial file and never touches an existing one. "-" or "" is standard output.
#pragma once
#include <string>
#include <string_view>

namespace perfkit {

// Throws OutputError on any failure (disk full, permission, /dev/full).
void write_output(const std::string& path, std::string_view content);

}  // namespace perfkit
