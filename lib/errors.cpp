#include "lib/errors.h"

#include <fmt/format.h>

namespace perfkit {

namespace {
// "-" is how the command line names standard input; an error says it in words.
std::string shown(const std::string& path) { return path == "-" ? "standard input" : path; }
}  // namespace

InputError InputError::at_byte(const std::string& path, uint64_t offset, const std::string& msg) {
  return InputError(fmt::format("{}: byte {}: {}", shown(path), offset, msg));
}

InputError InputError::at_line(const std::string& path, uint64_t line, uint64_t col,
                               const std::string& msg) {
  return InputError(fmt::format("{}:{}:{}: {}", shown(path), line, col, msg));
}

InputError InputError::in_file(const std::string& path, const std::string& msg) {
  return InputError(fmt::format("{}: {}", shown(path), msg));
}

}  // namespace perfkit
