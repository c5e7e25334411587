// Exact decimal text to scaled integers: "0.013355" seconds -> 13355000 ns, "2.5" -> 2500000
// micro-counts. No floating point on the way, so no drift. Shared by the table and folded readers.
#pragma once
#include <cstdint>
#include <string_view>

namespace perfkit {

enum class DecimalStatus : uint8_t {
  kOk,        // parsed exactly
  kRounded,   // more fraction digits than the scale holds: rounded half up
  kBad,       // not an unsigned decimal (digits, optionally '.' and digits)
  kOverflow,  // does not fit int64 after scaling
};

constexpr int64_t kPow10[] = {1,          10,          100,          1000,          10000,
                              100000,     1000000,     10000000,     100000000,     1000000000,
                              10000000000LL, 100000000000LL, 1000000000000LL};

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses `text` as an unsigned decimal ("12", "12.", "12.5", "0.000003") into
// value * 10^frac_digits (frac_digits <= 12). A leading '.', a sign, an exponent or any other
// character is kBad. Needs at least one digit before the point.
inline DecimalStatus parse_decimal(std::string_view text, int frac_digits, int64_t* out) {
  size_t i = 0, n = text.size();
  if (n == 0 || !is_digit(text[0])) return DecimalStatus::kBad;
  const uint64_t kMax = static_cast<uint64_t>(INT64_MAX);
  uint64_t whole = 0;
  for (; i < n && is_digit(text[i]); ++i) {
    uint64_t d = static_cast<uint64_t>(text[i] - '0');
    if (whole > (kMax - d) / 10) return DecimalStatus::kOverflow;
    whole = whole * 10 + d;
  }
  uint64_t frac = 0;
  int taken = 0;
  DecimalStatus status = DecimalStatus::kOk;
  if (i < n) {
    if (text[i] != '.') return DecimalStatus::kBad;
    ++i;
    bool round_up = false;
    for (size_t first_dropped = i + static_cast<size_t>(frac_digits); i < n; ++i) {
      char c = text[i];
      if (!is_digit(c)) return DecimalStatus::kBad;
      if (taken < frac_digits) {
        frac = frac * 10 + static_cast<uint64_t>(c - '0');
        ++taken;
        continue;
      }
      if (i == first_dropped) round_up = c >= '5';  // the first dropped digit decides
      if (c != '0') status = DecimalStatus::kRounded;
    }
    if (round_up) ++frac;
  }
  for (; taken < frac_digits; ++taken) frac *= 10;
  const uint64_t scale = static_cast<uint64_t>(kPow10[frac_digits]);
  if (whole > (kMax - frac) / scale) return DecimalStatus::kOverflow;
  *out = static_cast<int64_t>(whole * scale + frac);
  return status;
}

}  // namespace perfkit
