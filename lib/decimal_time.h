// Exact decimal text -> scaled int64 (e.g. microseconds "1587.123456" -> 1587123456 ns), never
// through a double: the digits are shifted by the scale and the rest rounded half away from zero.
#pragma once
#include <cstdint>
#include <string_view>

namespace perfkit {

enum class DecimalStatus : uint8_t { kOk, kInvalid, kOverflow };

// Parses a JSON-style number (optional sign, digits, optional fraction, optional exponent),
// surrounded by optional spaces, and returns value * 10^scale_digits rounded to an integer.
// "NaN", "Infinity", "" and anything else that is not a number are kInvalid; results outside
// int64 are kOverflow. `out` is written only on kOk.
DecimalStatus parse_decimal_scaled(std::string_view text, int scale_digits, int64_t& out);

}  // namespace perfkit
