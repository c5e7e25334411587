#include "lib/decimal_time.h"

#include <limits>

namespace perfkit {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr uint64_t kLimit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1;

// Appends one decimal digit to acc; false when acc would pass kLimit (|INT64_MIN|).
bool push_digit(uint64_t& acc, int d) {
  if (acc > (kLimit - static_cast<uint64_t>(d)) / 10) return false;
  acc = acc * 10 + static_cast<uint64_t>(d);
  return true;
}

}  // namespace

namespace {

// The common case: [-]digits[.digits], at most 15 integer digits, scale <= 3. Returns false to
// let the general routine decide anything else.
bool parse_simple(std::string_view text, int scale_digits, int64_t& out) {
  const char* p = text.data();
  const char* end = p + text.size();
  if (scale_digits < 0 || scale_digits > 3 || p == end) return false;
  bool negative = *p == '-';
  if (negative && ++p == end) return false;
  const char* int_begin = p;
  uint64_t v = 0;
  while (p != end && is_digit(*p)) v = v * 10 + static_cast<uint64_t>(*p++ - '0');
  if (p == int_begin || p - int_begin > 15) return false;
  int frac = 0;
  bool round_up = false;
  if (p != end && *p == '.') {
    const char* frac_begin = ++p;
    while (p != end && is_digit(*p)) {
      if (frac < scale_digits) v = v * 10 + static_cast<uint64_t>(*p - '0'), ++frac;
      else if (p == frac_begin + scale_digits) round_up = *p >= '5';
      ++p;
    }
    if (p == frac_begin) return false;
  }
  if (p != end) return false;  // exponent, spaces, junk: the general routine
  for (; frac < scale_digits; ++frac) v *= 10;
  v += round_up;
  out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

}  // namespace

DecimalStatus parse_decimal_scaled(std::string_view text, int scale_digits, int64_t& out) {
  if (parse_simple(text, scale_digits, out)) return DecimalStatus::kOk;
  size_t i = 0, n = text.size();
  while (i < n && is_space(text[i])) ++i;
  while (n > i && is_space(text[n - 1])) --n;
  bool negative = false;
  if (i < n && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // The significant digits (integer part then fraction) and where the decimal point sits.
  const size_t int_begin = i;
  while (i < n && is_digit(text[i])) ++i;
  const size_t int_end = i;
  size_t frac_begin = i, frac_end = i;
  if (i < n && text[i] == '.') {
    frac_begin = ++i;
    while (i < n && is_digit(text[i])) ++i;
    frac_end = i;
  }
  if (int_begin == int_end && frac_begin == frac_end) return DecimalStatus::kInvalid;
  int64_t exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i == n || !is_digit(text[i])) return DecimalStatus::kInvalid;
    for (; i < n && is_digit(text[i]); ++i)
      if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) return DecimalStatus::kInvalid;

  // Digit k (0-based over integer+fraction digits) has weight 10^(int_digits - 1 - k + shift).
  // Keep digits whose weight is >= 10^0; the first dropped digit decides the rounding.
  const int64_t int_digits = static_cast<int64_t>(int_end - int_begin);
  const int64_t total_digits = int_digits + static_cast<int64_t>(frac_end - frac_begin);
  const int64_t shift = exponent + scale_digits;
  const int64_t keep = int_digits + shift;  // number of leading digits that stay integral
  auto digit_at = [&](int64_t k) -> int {
    if (k < int_digits) return text[int_begin + k] - '0';
    return text[frac_begin + (k - int_digits)] - '0';
  };
  uint64_t acc = 0;
  for (int64_t k = 0; k < keep; ++k) {
    int d = k < total_digits ? digit_at(k) : 0;
    if (acc == 0 && d == 0) continue;  // leading zeros, and zero stays zero
    if (!push_digit(acc, d)) return DecimalStatus::kOverflow;
  }
  if (keep >= 0 && keep < total_digits && digit_at(keep) >= 5) {
    if (acc == kLimit) return DecimalStatus::kOverflow;
    ++acc;
  }
  if (!negative && acc == kLimit) return DecimalStatus::kOverflow;
  out = negative ? static_cast<int64_t>(0 - acc) : static_cast<int64_t>(acc);
  return DecimalStatus::kOk;
}

}  // namespace perfkit
