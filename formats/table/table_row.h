// One line of a function table: the header layouts (yappi print_all, cProfile print_stats) and
// the row parsers. Pure text work; table_reader.cpp drives the lines and fills the Profile.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace perfkit {

enum class TableColumn : uint8_t { kName, kNcall, kTsub, kTtot, kTavg, kId, kTid, kScnt };

// What a header line announced.
struct TableLayout {
  enum class Kind : uint8_t { kNone, kYappi, kCprofile, kYappiThreads, kOtherYappi } kind =
      Kind::kNone;
  std::vector<TableColumn> columns;    // yappi: in header order, kName first
  std::vector<std::string> titles;     // yappi: header titles, for messages
  std::vector<size_t> starts;          // yappi: 0-based column of each title in the header
  size_t name_width = 0;               // yappi: width of the name column (36 by default)
};

// Recognizes a header line: yappi func stats (`name ncall tsub ttot tavg`, any subset/order after
// `name`), yappi thread stats (`name id tid ttot scnt`, a subset with id, tid or scnt), another
// yappi table (lower-case titles: not read), or cProfile's
// `ncalls tottime percall cumtime percall filename:lineno(function)`. kNone otherwise.
TableLayout parse_table_header(std::string_view line);

// A parsed row before interning. Views point into the line.
struct ParsedRow {
  std::string_view name;
  std::string_view file;
  int64_t line = 0;
  int64_t calls = -1;
  int64_t primitive_calls = -1;
  bool calls_truncated = false;
  bool name_trimmed = false;  // yappi cut the name from the left ("..")
  bool time_truncated = false;
  int64_t self_ns = 0;
  int64_t total_ns = 0;
};

// A row that does not parse: 1-based column in the line and the message.
struct RowError {
  size_t col = 0;
  std::string msg;
};

// Parse one non-blank data line; return false and fill *err when it is malformed.
bool parse_yappi_row(std::string_view line, const TableLayout& layout, ParsedRow* row,
                     RowError* err);
bool parse_cprofile_row(std::string_view line, ParsedRow* row, RowError* err);

// A row of yappi's thread stats (YThreadStat: name = the thread's class, id = yappi's own thread
// number, tid = the OS thread id, ttot = its time, scnt = how often it was scheduled). -1 for a
// column the layout does not have.
struct ParsedThreadRow {
  std::string_view name;
  int64_t id = -1;
  int64_t tid = -1;
  int64_t ttot_ns = 0;
  int64_t scnt = -1;
  bool name_trimmed = false;
  bool time_truncated = false;
};
bool parse_yappi_thread_row(std::string_view line, const TableLayout& layout, ParsedThreadRow* row,
                            RowError* err);

// "N function calls (M primitive calls) in T seconds": T in ns, or -1 when the line is not one.
int64_t parse_cprofile_totals(std::string_view line);

// Splits on ASCII whitespace.
std::vector<std::string_view> split_ws(std::string_view line);

}  // namespace perfkit
