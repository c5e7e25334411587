#include "reports/escape.h"

#include <cstdint>

namespace perfkit {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0 if it is invalid (overlong, surrogate,
// past U+10FFFF, cut short).
size_t utf8_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  if (n == 3) {
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
  }
  if (n == 4) {
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // past U+10FFFF
  }
  return n;
}

// Calls emit(piece) for each valid piece, kReplacement for invalid bytes, and
// control(c) for C0 controls and DEL.
template <typename Emit, typename Control>
void walk(std::string_view s, Emit emit, Control control) {
  size_t i = 0;
  while (i < s.size()) {
    size_t n = utf8_length(s, i);
    if (n == 0) {
      emit(kReplacement);
      ++i;
    } else if (n == 1 && (static_cast<uint8_t>(s[i]) < 0x20 || s[i] == 0x7F)) {
      control(static_cast<uint8_t>(s[i]));
      ++i;
    } else {
      emit(s.substr(i, n));
      i += n;
    }
  }
}

// Appends s, sanitized by walk: an ASCII character c becomes subst(c) when that is not empty,
// a control character becomes control(c).
template <typename Subst, typename Control>
void append_mapped(std::string& out, std::string_view s, Subst subst, Control control) {
  walk(
      s,
      [&](std::string_view piece) {
        std::string_view r = piece.size() == 1 ? subst(piece[0]) : std::string_view();
        out += r.empty() ? piece : r;
      },
      control);
}

}  // namespace

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk(s, [&](std::string_view piece) { out += piece; }, [](uint8_t) {});
  return out;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk(s, [&](std::string_view piece) { out += piece; }, [&](uint8_t c) { out += char(c); });
  return out;
}

void append_xml_escaped(std::string& out, std::string_view s) {
  auto subst = [](char c) -> std::string_view {
    switch (c) {
      case '&': return "&amp;";
      case '<': return "&lt;";
      case '>': return "&gt;";
      case '"': return "&quot;";
      case '\'': return "&#39;";
      default: return {};
    }
  };
  append_mapped(out, s, subst, [](uint8_t) {});
}

void append_json_string(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  auto subst = [](char c) -> std::string_view {
    switch (c) {
      case '"': return "\\\"";
      case '\\': return "\\\\";
      case '<': return "\\u003c";
      case '>': return "\\u003e";
      case '&': return "\\u0026";
      default: return {};
    }
  };
  auto control = [&](uint8_t c) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  };
  out += '"';
  append_mapped(out, s, subst, control);
  out += '"';
}

std::string truncate_label(std::string_view s, size_t max_chars) {
  // Count code points (s is valid UTF-8): continuation bytes are 10xxxxxx.
  size_t chars = 0;
  for (char c : s) chars += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  if (chars <= max_chars) return std::string(s);
  if (max_chars < 3) return "";
  size_t keep = max_chars - 2, i = 0, seen = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<uint8_t>(s[i]) & 0xC0) != 0x80) {
      if (seen == keep) break;
      ++seen;
    }
  }
  return std::string(s.substr(0, i)) + "..";
}

}  // namespace perfkit
