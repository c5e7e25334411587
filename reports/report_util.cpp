#include "reports/report_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "reports/escape.h"

namespace perfkit {

std::string csv_field(std::string_view raw) {
  std::string valid = valid_utf8(raw);  // invalid bytes -> U+FFFD, as in every text output
  std::string_view s = valid;
  // OWASP's list: = + - @ start a formula; a leading tab or CR can hide one.
  bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                                s[0] == '\t' || s[0] == '\r');
  bool quote = formula || s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) return valid;
  std::string out = "\"";
  if (formula) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
}  // namespace

std::string md_cell(std::string_view raw) {
  std::string valid = valid_utf8(raw);
  std::string out;
  out.reserve(valid.size() + 8);
  for (char c : valid) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\\': out += "\\\\"; break;
      case '`': out += "\\`"; break;
      case '*': out += "\\*"; break;
      case '_': out += "\\_"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      default: out += is_control(c) ? ' ' : c;
    }
  }
  return out;
}

std::string md_code(std::string_view raw) {
  std::string s = valid_utf8(raw);
  if (s.empty() || s.find('`') != std::string::npos || std::any_of(s.begin(), s.end(), is_control))
    return md_cell(s);
  std::string out = "`";
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  out += '`';
  return out;
}

std::string dump_json(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string pprof_time_label(int64_t time_ns) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(time_ns / 1000000000);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "?";
  int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s %d, %d at %d:%02d%s (UTC)", kMonths[tm.tm_mon], tm.tm_mday,
                tm.tm_year + 1900, hour12, tm.tm_min, tm.tm_hour < 12 ? "am" : "pm");
  return buf;
}

std::string csv_number(double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 9e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace perfkit
