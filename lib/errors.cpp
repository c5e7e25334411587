#include "lib/errors.h"

#include <fmt/format.h>

namespace perfkit {

InputError InputError::at_byte(const std::string& path, uint64_t offset, const std::string& msg) {
  return InputError(fmt::format("{}: byte {}: {}", path, offset, msg));
}

InputError InputError::at_line(const std::string& path, uint64_t line, uint64_t col,
                               const std::string& msg) {
  return InputError(fmt::format("{}:{}:{}: {}", path, line, col, msg));
}

InputError InputError::in_file(const std::string& path, const std::string& msg) {
  return InputError(fmt::format("{}: {}", path, msg));
}

}  // namespace perfkit
