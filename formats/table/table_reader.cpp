// Function tables without stacks: yappi `print_all` (default and wide columns) and cProfile /
// pstats `print_stats` text. Rows go to Profile::rows; times are parsed exactly into ns.
// Layout notes: docs/research/tables-and-gates.md, section A.
#include <fmt/format.h>

#include <cstring>
#include <utility>

#include "formats/registry.h"
#include "formats/table/table_row.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit {

namespace {

constexpr size_t kProbeLines = 50;
constexpr size_t kProbeBytes = 64 * 1024;
constexpr size_t kDefaultNameWidth = 36;  // yappi's default name column

// Calls fn(line_number, line) for each line, without its "\r\n" / "\n"; fn returns false to stop.
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn, ProgressTicker tick = ProgressTicker(nullptr)) {
  size_t pos = 0, number = 0;
  while (pos < text.size()) {
    tick.at(pos);
    const char* nl = static_cast<const char*>(memchr(text.data() + pos, '\n', text.size() - pos));
    size_t end = nl ? static_cast<size_t>(nl - text.data()) : text.size();
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(++number, line)) return;
    pos = end + 1;
  }
}

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\f' && c != '\v') return false;
  return true;
}

// Only lines that start like a header are worth splitting.
bool may_be_header(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return false;
  std::string_view rest = line.substr(i);
  return rest.substr(0, 5) == "name " || rest.substr(0, 6) == "name\t" || rest.substr(0, 7) == "ncalls ";
}

struct TableCounts {
  int64_t calls_cut = 0;
  int64_t names_cut = 0;
  int64_t times_cut = 0;
  int64_t other_rows = 0;
  int64_t ignored_lines = 0;
  int64_t tables = 0;
  int64_t thread_tables = 0;
};

// yappi's thread stats as rows: the thread's time is both its self and total time, its schedule
// count stands in the calls column.
void add_thread_row(Profile& p, const ParsedThreadRow& r, std::vector<TableRow>& out,
                    TableCounts& counts) {
  std::string name(r.name);
  if (r.id >= 0) name += fmt::format(" {}", r.id);
  if (r.tid >= 0) name += fmt::format(" (tid {})", r.tid);
  TableRow row;
  row.name = p.strings.intern(name);
  row.calls = r.scnt;
  row.self_ns = row.total_ns = r.ttot_ns;
  out.push_back(row);
  counts.names_cut += r.name_trimmed;
  counts.times_cut += r.time_truncated;
}

void add_row(Profile& p, const ParsedRow& r, TableCounts& counts) {
  TableRow row;
  row.name = p.strings.intern(r.name);
  row.file = p.strings.intern(r.file);
  row.line = r.line;
  row.calls = r.calls;
  row.primitive_calls = r.primitive_calls;
  row.calls_truncated = r.calls_truncated;
  row.self_ns = r.self_ns;
  row.total_ns = r.total_ns;
  p.rows.push_back(row);
  counts.calls_cut += r.calls_truncated;
  counts.names_cut += r.name_trimmed;
  counts.times_cut += r.time_truncated;
}

void warn_counts(Profile& p, const TableCounts& c) {
  if (c.calls_cut)
    p.warn("call counts cut short by yappi's ncall column (like '836..'): those calls are lower "
           "bounds",
           c.calls_cut);
  if (c.names_cut)
    p.warn("names cut from the left by yappi's name column (starting '..'): their file paths are "
           "partial",
           c.names_cut);
  if (c.times_cut)
    p.warn("times cut short by yappi's column width (ending '..'): those times are lower bounds",
           c.times_cut);
  if (c.other_rows)
    p.warn("rows of a yappi table that is not a function table (nor thread stats) were skipped",
           c.other_rows);
  if (c.ignored_lines)
    p.warn("lines after the table that are not rows were skipped", c.ignored_lines);
  if (c.tables > 1)
    p.warn(fmt::format("the file holds {} function tables; the rows of all of them were kept",
                       c.tables));
  if (c.tables == 1 && p.rows.empty()) p.warn("the table has a header but no rows");
}

// yappi's pstat export writes (total, primitive) where pstats expects (primitive, total), so
// pstats prints "1/8361" for a recursive function. cProfile always has total >= primitive: one row
// the other way round means the whole file is swapped.
void unswap_yappi_pstat(Profile& p) {
  if (p.flavor != "cprofile") return;
  bool swapped = false;
  for (const TableRow& r : p.rows) swapped |= r.primitive_calls > r.calls;
  if (!swapped) return;
  for (TableRow& r : p.rows) std::swap(r.calls, r.primitive_calls);
  p.warn("call counts read as primitive/total (yappi's pstat export swaps pstats' slots, e.g. "
         "'1/8361'): swapped back");
}

}  // namespace

Probe probe_table(std::string_view content) {
  Probe result = Probe::kNo;
  for_each_line(content.substr(0, kProbeBytes), [&](size_t number, std::string_view line) {
    if (number > kProbeLines) return false;
    if (!may_be_header(line)) return true;
    TableLayout layout = parse_table_header(line);
    if (layout.kind == TableLayout::Kind::kYappi || layout.kind == TableLayout::Kind::kCprofile ||
        layout.kind == TableLayout::Kind::kYappiThreads) {
      result = Probe::kYes;
      return false;
    }
    return true;
  });
  return result;
}

void read_table(const InputBuffer& in, Profile& p, const ReadOptions&) {
  p.format = "table";
  p.value_types.clear();
  TableLayout layout;
  bool in_table = false;
  TableCounts counts;
  ParsedRow row;
  ParsedThreadRow thread_row;
  std::vector<TableRow> thread_rows;
  RowError err;
  for_each_line(in.view(), [&](size_t number, std::string_view line) {
    if (is_blank(line)) {
      in_table = false;
      return true;
    }
    if (may_be_header(line)) {
      TableLayout next = parse_table_header(line);
      if (next.kind != TableLayout::Kind::kNone) {
        layout = std::move(next);
        in_table = true;
        if (layout.kind == TableLayout::Kind::kOtherYappi) return true;
        if (layout.kind == TableLayout::Kind::kYappiThreads) {
          ++counts.thread_tables;
          return true;
        }
        if (++counts.tables == 1)
          p.flavor = layout.kind == TableLayout::Kind::kCprofile ? "cprofile"
                     : layout.name_width > kDefaultNameWidth     ? "yappi-wide"
                                                                 : "yappi";
        return true;
      }
    }
    if (layout.kind == TableLayout::Kind::kNone) {  // preamble before the first header
      std::string_view t = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
      if (t.substr(0, 11) == "Clock type:") {
        std::string_view clock = t.substr(11);
        while (!clock.empty() && clock.front() == ' ') clock.remove_prefix(1);
        while (!clock.empty() && clock.back() == ' ') clock.remove_suffix(1);
        p.clock_type = std::string(clock);
      } else if (int64_t ns = parse_cprofile_totals(t); ns >= 0) {
        p.meta.duration_ns = ns;
      }
      return true;
    }
    if (layout.kind == TableLayout::Kind::kOtherYappi) {
      counts.other_rows += in_table;
      counts.ignored_lines += !in_table;
      return true;
    }
    if (layout.kind == TableLayout::Kind::kYappiThreads) {
      if (parse_yappi_thread_row(line, layout, &thread_row, &err))
        add_thread_row(p, thread_row, thread_rows, counts);
      else if (in_table)
        throw InputError::at_line(in.path, number, err.col, err.msg);
      else
        ++counts.ignored_lines;
      return true;
    }
    bool ok = layout.kind == TableLayout::Kind::kCprofile ? parse_cprofile_row(line, &row, &err)
                                                          : parse_yappi_row(line, layout, &row, &err);
    if (ok) {
      add_row(p, row, counts);
    } else if (in_table) {
      throw InputError::at_line(in.path, number, err.col, err.msg);
    } else {
      ++counts.ignored_lines;  // text after the table's closing blank line
    }
    return true;
  }, ProgressTicker(in.progress));
  if (counts.tables == 0 && counts.thread_tables > 0) {
    // A file of thread stats alone: the threads are the table.
    p.flavor = "yappi-threads";
    p.rows = std::move(thread_rows);
    counts.tables = counts.thread_tables;
    thread_rows.clear();
  }
  if (counts.tables == 0)
    throw InputError::in_file(
        in.path,
        "no function-table header found (yappi 'name ncall tsub ttot tavg' or cProfile "
        "'ncalls tottime percall cumtime percall filename:lineno(function)', or yappi's thread "
        "stats 'name id tid ttot scnt')");
  if (!thread_rows.empty())
    p.warn("rows of yappi's thread stats were left out: the file's function table is what is "
           "read (give the thread stats a file of their own to read them as a table of threads)",
           static_cast<int64_t>(thread_rows.size()));
  unswap_yappi_pstat(p);
  warn_counts(p, counts);
}

}  // namespace perfkit
