#include "lib/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace perfkit::terminal {

namespace {

constexpr std::string_view kMarker = "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS, one column
constexpr std::string_view kReset = "\x1b[0m";

// One UTF-8 code point at s[i]: its value and length; an invalid byte is U+FFFD of length 1.
uint32_t decode(std::string_view s, size_t i, size_t& len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  len = 1;
  if (c < 0x80) return c;
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0xFFFD;
  uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  len = n;
  return cp;
}

size_t code_point_width(uint32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return 0;
  struct Range {
    uint32_t lo, hi;
  };
  static constexpr Range kZero[] = {{0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
                                    {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
                                    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}};
  static constexpr Range kWide[] = {{0x1100, 0x115F},   {0x2E80, 0x303E},  {0x3041, 0x33FF},
                                    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},  {0xA000, 0xA4CF},
                                    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},  {0xFE30, 0xFE4F},
                                    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},  {0x1F300, 0x1F64F},
                                    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD}};
  for (const Range& r : kZero)
    if (cp >= r.lo && cp <= r.hi) return 0;
  for (const Range& r : kWide)
    if (cp >= r.lo && cp <= r.hi) return 2;
  return 1;
}

// Length of the escape sequence at s[i] (s[i] == ESC): CSI "ESC [ ... final" or ESC + one byte.
size_t escape_length(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) return 1;
  if (s[i + 1] != '[') return 2;
  size_t k = i + 2;
  while (k < s.size() && !(s[k] >= 0x40 && s[k] <= 0x7E)) ++k;
  return std::min(k + 1, s.size()) - i;
}

// Walks s, calling f(begin, length, columns) for each escape sequence (0 columns) and code point;
// a tab takes the columns to the next multiple of 8. Stops when f returns false.
template <typename F>
void walk(std::string_view s, F&& f) {
  size_t col = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1, w = 0;
    if (s[i] == '\x1b') {
      len = escape_length(s, i);
    } else if (s[i] == '\t') {
      w = 8 - col % 8;
    } else {
      w = code_point_width(decode(s, i, len));
    }
    if (!f(i, len, w)) return;
    col += w;
    i += len;
  }
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    bool has_nl = nl != std::string_view::npos;
    f(text.substr(start, (has_nl ? nl : text.size()) - start), has_nl);
    start = has_nl ? nl + 1 : text.size();
  }
}

void pad(std::string& out, size_t n) { out.append(n, ' '); }

}  // namespace

size_t display_width(std::string_view s) {
  size_t w = 0;
  walk(s, [&](size_t, size_t, size_t cw) {
    w += cw;
    return true;
  });
  return w;
}

std::string truncate_to_width(std::string_view s, size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return "";
  std::string out;
  size_t used = 0;
  bool escaped = false;
  walk(s, [&](size_t i, size_t len, size_t cw) {
    if (used + cw > width - 1) return false;
    if (s[i] == '\x1b') escaped = true;
    out.append(s.substr(i, len));
    used += cw;
    return true;
  });
  out += kMarker;
  if (escaped) out += kReset;
  return out;
}

std::string truncate_lines(std::string_view text, size_t width) {
  std::string out;
  for_each_line(text, [&](std::string_view line, bool nl) {
    out += width ? truncate_to_width(line, width) : std::string(line);
    if (nl) out += '\n';
  });
  return out;
}

namespace {

// One line, wider than width, as lines of at most width columns (without their newlines).
void wrap_line(std::string_view line, size_t width, std::string& out) {
  size_t indent = line.find_first_not_of(' ');
  if (indent == std::string_view::npos) indent = line.size();
  if (indent > width / 2) indent = 0;
  const size_t cont = std::min(indent + 2, width / 3);
  std::string cur(indent, ' ');
  size_t cur_w = indent;
  bool has_word = false;
  auto flush = [&] {
    out += cur;
    out += '\n';
    cur.assign(cont, ' ');
    cur_w = cont;
    has_word = false;
  };
  size_t pos = indent;
  while (pos < line.size()) {
    size_t word_start = line.find_first_not_of(' ', pos);
    if (word_start == std::string_view::npos) break;
    std::string_view gap = line.substr(pos, word_start - pos);
    size_t word_end = std::min(line.find(' ', word_start), line.size());
    std::string_view word = line.substr(word_start, word_end - word_start);
    pos = word_end;
    const size_t ww = display_width(word);
    if (has_word && cur_w + gap.size() + ww <= width) {
      cur += gap;
      cur += word;
      cur_w += gap.size() + ww;
      continue;
    }
    if (has_word) flush();
    // A word longer than what is left of an empty line is cut into pieces that fit.
    while (cur_w + display_width(word) > width) {
      std::string piece;
      size_t piece_w = 0, taken = 0;
      walk(word, [&](size_t i, size_t len, size_t cw) {
        if (cur_w + piece_w + cw > width && piece_w > 0) return false;
        piece.append(word.substr(i, len));
        piece_w += cw;
        taken = i + len;
        return true;
      });
      cur += piece;
      cur_w += piece_w;
      word.remove_prefix(taken);
      flush();
    }
    cur += word;
    cur_w += display_width(word);
    has_word = !word.empty();
  }
  out += cur;
}

}  // namespace

std::string wrap_lines(std::string_view text, size_t width) {
  std::string out;
  for_each_line(text, [&](std::string_view line, bool nl) {
    if (width == 0 || display_width(line) <= width) out += line;
    else wrap_line(line, width, out);
    if (nl) out += '\n';
  });
  return out;
}

std::string paint(std::string_view s, Paint p, bool on) {
  if (!on || s.empty()) return std::string(s);
  const char* code = p == Paint::kRed     ? "\x1b[31m"
                     : p == Paint::kGreen ? "\x1b[32m"
                     : p == Paint::kYellow ? "\x1b[33m"
                                           : "\x1b[1m";
  return std::string(code) + std::string(s) + std::string(kReset);
}

std::string paint_delta(std::string_view s, bool on) {
  size_t first = s.find_first_not_of(' ');
  if (!on || first == std::string_view::npos) return std::string(s);
  if (s[first] == '+') return paint(s, Paint::kRed, true);
  if (s[first] == '-') return paint(s, Paint::kGreen, true);
  return std::string(s);
}

void TextTable::render(std::string& out, size_t width) const {
  const size_t ncols = columns_.size();
  std::vector<bool> shown(ncols, true);
  auto cell_width = [&](const std::string& cell, size_t c) {
    return std::max(display_width(cell), columns_[c].width);
  };
  // Columns of a row without its name (separators included), and the name's columns.
  auto row_width = [&](const std::vector<std::string>& row, size_t& name_w) {
    size_t w = 0;
    bool first = true;
    name_w = 0;
    for (size_t c = 0; c < row.size() && c < ncols; ++c) {
      if (!shown[c]) continue;
      if (!first) w += display_width(columns_[c].sep);
      first = false;
      if (columns_[c].name) name_w = cell_width(row[c], c);
      else w += cell_width(row[c], c);
    }
    return w;
  };
  if (width > 0) {
    for (;;) {
      size_t worst = 0;
      for (const auto& row : rows_) {
        size_t name_w = 0;
        size_t w = row_width(row, name_w);
        worst = std::max(worst, w + std::min(name_w, kMinNameWidth));
      }
      if (worst <= width) break;
      size_t drop = ncols;
      for (size_t c = 0; c < ncols; ++c)
        if (shown[c] && !columns_[c].name && (drop == ncols || columns_[c].keep <= columns_[drop].keep))
          drop = c;
      size_t left = 0;
      for (size_t c = 0; c < ncols; ++c) left += shown[c] && !columns_[c].name;
      if (drop == ncols || left <= 1) break;  // the first column stays: a row is never empty
      shown[drop] = false;
    }
  }
  for (const auto& row : rows_) {
    std::string line;
    bool first = true;
    for (size_t c = 0; c < row.size() && c < ncols; ++c) {
      if (!shown[c]) continue;
      const TableColumn& col = columns_[c];
      if (!first) line += col.sep;
      first = false;
      std::string cell = row[c];
      if (col.name && width > 0) {
        size_t before = display_width(line);
        cell = truncate_to_width(cell, width > before ? width - before : 0);
      }
      size_t w = display_width(cell);
      size_t fill = col.width > w ? col.width - w : 0;
      if (!col.left) pad(line, fill);
      line += cell;
      if (col.left) pad(line, fill);
    }
    if (width > 0) line = truncate_to_width(line, width);
    out += line;
    out += '\n';
  }
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

size_t terminal_width(int fd) {
  if (const char* cols = std::getenv("COLUMNS"); cols && *cols) {
    char* end = nullptr;
    long v = std::strtol(cols, &end, 10);
    if (*end == '\0' && v > 0 && v < 100000) return static_cast<size_t>(v);
  }
  struct winsize ws {};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

bool use_color(ColorMode mode, int fd) {
  if (mode == ColorMode::kAlways) return true;
  if (mode == ColorMode::kNever) return false;
  if (const char* no = std::getenv("NO_COLOR"); no && *no) return false;
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
  return is_terminal(fd);
}

}  // namespace perfkit::terminal
