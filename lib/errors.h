// Errors for bad input and bad usage. A library never exits; cli/main.cpp has the one catch.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace perfkit {

// Bad or unreadable input: exit 3. what() is the full message without the "perfkit: error: " prefix.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  // "PATH: byte N: message" for binary and JSON inputs.
  static InputError at_byte(const std::string& path, uint64_t offset, const std::string& msg);
  // "PATH:LINE:COL: message" for text inputs (1-based line and column).
  static InputError at_line(const std::string& path, uint64_t line, uint64_t col,
                            const std::string& msg);
  // "PATH: message" when no position applies (unreadable file, empty input).
  static InputError in_file(const std::string& path, const std::string& msg);
};

// Bad command line or option values: exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Output could not be written (disk full, permission): exit 4.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ExitCode : int { kOk = 0, kRegression = 1, kUsage = 2, kBadInput = 3, kOutput = 4 };

}  // namespace perfkit
