// Text output on a terminal: display width (UTF-8 code points; East Asian wide characters two
// columns, combining marks and ANSI escape sequences none), tables that drop and narrow columns to
// fit a width, prose wrapped to it, ANSI colour, where width and colour come from (isatty,
// $COLUMNS, TIOCGWINSZ, NO_COLOR). The progress line for slow inputs is lib/progress.h.
// Nothing here writes to stdout; width 0 everywhere means "no limit" (output as before).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace perfkit::terminal {

// Columns the text takes on a terminal.
size_t display_width(std::string_view s);
// s cut to at most `width` columns, ending in the marker "…" when it was cut.
std::string truncate_to_width(std::string_view s, size_t width);
// Every line wider than `width` word-wrapped at spaces (a word longer than a line is cut
// into pieces); continuation lines are indented by the line's own indent plus two.
std::string wrap_lines(std::string_view text, size_t width);
// Every line wider than `width` cut with truncate_to_width.
std::string truncate_lines(std::string_view text, size_t width);

// How a text renderer lays out its output: width 0 = full width; colour = ANSI escapes.
struct TextStyle {
  size_t width = 0;
  bool color = false;
};

enum class Paint { kRed, kGreen, kYellow, kBold };
// s inside the escape sequence for p and a reset, or s itself when !on.
std::string paint(std::string_view s, Paint p, bool on);
// A signed change (a cell such as "+1.2s" or "-35%"): red when it grows (+), green when it
// shrinks (-), as it is otherwise.
std::string paint_delta(std::string_view s, bool on);

struct TableColumn {
  std::string sep;    // written before the cell (left out for the first column shown)
  size_t width = 0;   // a cell is padded to at least this many columns (as fmt's {:>N})
  bool left = false;  // padded on the right (fmt's {:<N}); on the left otherwise
  int keep = 50;      // too wide: the shown column with the lowest keep is dropped first
  bool name = false;  // the name column: cut with a marker to fit, never dropped
};

// Rows of cells in columns. render(width 0) writes every column with fmt's padding, byte for
// byte; a width drops the columns of lowest keep until every row fits with at least
// kMinNameWidth columns of its name, then cuts the names that still do not fit. A row may have
// fewer cells than there are columns (a header without the name).
class TextTable {
 public:
  static constexpr size_t kMinNameWidth = 24;
  explicit TextTable(std::vector<TableColumn> columns) : columns_(std::move(columns)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  size_t rows() const { return rows_.size(); }
  void render(std::string& out, size_t width) const;

 private:
  std::vector<TableColumn> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Is fd a terminal.
bool is_terminal(int fd);
// $COLUMNS when it is a positive number, else the terminal's width (TIOCGWINSZ on fd), else 80.
size_t terminal_width(int fd);
enum class ColorMode { kAuto, kAlways, kNever };
// always / never as said; auto: fd is a terminal, NO_COLOR is unset or empty, TERM is not dumb.
bool use_color(ColorMode mode, int fd);

}  // namespace perfkit::terminal
