#include "formats/table/table_row.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "formats/table/decimal_text.h"

namespace perfkit {

namespace {

constexpr int kNanoDigits = 9;  // seconds -> nanoseconds

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

int64_t digits_value(std::string_view s) {  // s is all digits; saturates instead of overflowing
  int64_t v = 0;
  for (char c : s) {
    if (v > (INT64_MAX - 9) / 10) return INT64_MAX;
    v = v * 10 + (c - '0');
  }
  return v;
}

const char* column_title(TableColumn c) {
  switch (c) {
    case TableColumn::kName: return "name";
    case TableColumn::kNcall: return "ncall";
    case TableColumn::kTsub: return "tsub";
    case TableColumn::kTtot: return "ttot";
    case TableColumn::kTavg: return "tavg";
    case TableColumn::kId: return "id";
    case TableColumn::kTid: return "tid";
    case TableColumn::kScnt: return "scnt";
  }
  return "?";
}

bool column_of(std::string_view title, TableColumn* out) {
  for (auto c : {TableColumn::kName, TableColumn::kNcall, TableColumn::kTsub, TableColumn::kTtot,
                 TableColumn::kTavg})
    if (title == column_title(c)) return *out = c, true;
  return false;
}

bool thread_column_of(std::string_view title, TableColumn* out) {
  for (auto c : {TableColumn::kName, TableColumn::kId, TableColumn::kTid, TableColumn::kTtot,
                 TableColumn::kScnt})
    if (title == column_title(c)) return *out = c, true;
  return false;
}

// yappi's thread stats header: `name id tid ttot scnt` or a subset of it, `name` first, with one
// of the columns only thread stats have.
bool parse_thread_header(const std::vector<std::string_view>& toks, std::string_view line,
                         TableLayout* layout) {
  if (toks.size() < 2 || toks[0] != "name") return false;
  bool thread_only = false;
  for (size_t k = 0; k < toks.size(); ++k) {
    TableColumn c;
    if (!thread_column_of(toks[k], &c) || (k > 0 && c == TableColumn::kName)) return false;
    thread_only |= c == TableColumn::kId || c == TableColumn::kTid || c == TableColumn::kScnt;
    layout->columns.push_back(c);
    layout->titles.emplace_back(toks[k]);
    layout->starts.push_back(static_cast<size_t>(toks[k].data() - line.data()));
  }
  if (!thread_only) return false;
  layout->kind = TableLayout::Kind::kYappiThreads;
  layout->name_width = layout->starts[1] >= 2 ? layout->starts[1] - 2 : layout->starts[1];
  return true;
}

bool lower_word(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  for (char c : s)
    if (c < 'a' || c > 'z') return false;
  return true;
}

// "1024", "8361/1" (total/primitive), or cut short by yappi's rtrim: "836..", "1027/..".
bool parse_calls(std::string_view tok, bool allow_cut, ParsedRow* row) {
  size_t slash = tok.find('/');
  if (allow_cut && tok.size() >= 2 && tok.substr(tok.size() - 2) == "..") {
    while (!tok.empty() && tok.back() == '.') tok.remove_suffix(1);
    std::string_view total = tok.substr(0, std::min(slash, tok.size()));
    std::string_view prim = slash < tok.size() ? tok.substr(slash + 1) : std::string_view();
    if (!total.empty() && !all_digits(total)) return false;
    if (!prim.empty() && !all_digits(prim)) return false;
    row->calls = total.empty() ? -1 : digits_value(total);
    row->calls_truncated = slash >= tok.size();  // with the '/', the total is complete
    return true;
  }
  if (slash == std::string_view::npos) {
    if (!all_digits(tok)) return false;
    row->calls = digits_value(tok);
    return true;
  }
  std::string_view total = tok.substr(0, slash), prim = tok.substr(slash + 1);
  if (!all_digits(total) || !all_digits(prim)) return false;
  row->calls = digits_value(total);
  row->primitive_calls = digits_value(prim);
  return true;
}

// Seconds as decimal text to ns; yappi's rtrim can cut a large time ("123456.."): a lower bound.
bool parse_seconds(std::string_view tok, bool allow_cut, int64_t* ns, bool* cut) {
  DecimalStatus st = parse_decimal(tok, kNanoDigits, ns);
  if (st == DecimalStatus::kOk || st == DecimalStatus::kRounded) return true;
  if (st == DecimalStatus::kOverflow || !allow_cut || tok.size() < 3 ||
      tok.substr(tok.size() - 2) != "..")
    return false;
  while (!tok.empty() && tok.back() == '.') tok.remove_suffix(1);
  st = parse_decimal(tok, kNanoDigits, ns);
  if (st != DecimalStatus::kOk && st != DecimalStatus::kRounded) return false;
  *cut = true;
  return true;
}

// yappi's full_name: "FILE:LINE NAME" split at the first ":<digits><space>"; builtins such as
// "builtins.sum" have no location.
void split_yappi_name(std::string_view text, ParsedRow* row) {
  for (size_t colon = text.find(':'); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    size_t d = colon + 1;
    while (d < text.size() && is_digit(text[d])) ++d;
    if (d > colon + 1 && d < text.size() && text[d] == ' ') {
      row->file = text.substr(0, colon);
      row->line = digits_value(text.substr(colon + 1, d - colon - 1));
      row->name = trim(text.substr(d + 1));
      if (!row->name.empty()) return;
    }
  }
  row->file = {};
  row->line = 0;
  row->name = text;
}

// pstats' func_std_string: "file:line(func)", or "{built-in method X}" / "{method 'x' of ...}".
void split_cprofile_name(std::string_view text, ParsedRow* row) {
  row->name = text;
  if (text.empty() || text.front() == '{' || text.back() != ')') return;
  for (size_t pos = text.size(); pos > 0;) {
    size_t open = text.rfind('(', pos - 1);
    if (open == std::string_view::npos) break;
    size_t d = open;
    while (d > 0 && is_digit(text[d - 1])) --d;
    if (d < open && d > 0 && text[d - 1] == ':') {
      row->file = text.substr(0, d - 1);
      row->line = digits_value(text.substr(d, open - d));
      row->name = text.substr(open + 1, text.size() - open - 2);
      return;
    }
    pos = open;
  }
}

size_t col_of(std::string_view line, std::string_view tok) {
  return static_cast<size_t>(tok.data() - line.data()) + 1;
}

bool fail(RowError* err, size_t col, std::string msg) {
  err->col = col;
  err->msg = std::move(msg);
  return false;
}

std::string quoted(std::string_view tok) {
  constexpr size_t kMax = 40;
  if (tok.size() > kMax) return fmt::format("'{}...'", tok.substr(0, kMax));
  return fmt::format("'{}'", tok);
}

// A row shorter than the header's last column start: name the first column it does not reach.
bool missing_column(std::string_view line, const TableLayout& layout, RowError* err) {
  for (size_t c = 1; c < layout.starts.size(); ++c)
    if (layout.starts[c] >= line.size())
      return fail(err, line.size() + 1, fmt::format("missing column {}", layout.titles[c])), true;
  return false;
}

}  // namespace

std::vector<std::string_view> split_ws(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && is_space(line[i])) ++i;
    size_t b = i;
    while (i < n && !is_space(line[i])) ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

TableLayout parse_table_header(std::string_view line) {
  TableLayout layout;
  if (line.size() > 4096) return layout;
  std::vector<std::string_view> toks = split_ws(line);
  if (toks.size() >= 6 && toks[0] == "ncalls" && toks[1] == "tottime" && toks[2] == "percall" &&
      toks[3] == "cumtime" && toks[4] == "percall" &&
      toks[5].substr(0, 25) == "filename:lineno(function)") {
    layout.kind = TableLayout::Kind::kCprofile;
    return layout;
  }
  if (parse_thread_header(toks, line, &layout)) return layout;
  layout = TableLayout{};
  if (toks.size() < 3 || toks[0] != "name") return layout;
  bool all_known = true, has_value = false;
  for (std::string_view t : toks) {
    TableColumn c;
    if (!column_of(t, &c)) {
      all_known = false;
      break;
    }
    if (c != TableColumn::kName && c != TableColumn::kTavg) has_value = true;
    if (c == TableColumn::kName && t.data() != toks[0].data()) all_known = false;  // name twice
    layout.columns.push_back(c);
    layout.titles.emplace_back(t);
    layout.starts.push_back(static_cast<size_t>(t.data() - line.data()));
  }
  if (all_known && has_value) {
    layout.kind = TableLayout::Kind::kYappi;
    layout.name_width = layout.starts[1] >= 2 ? layout.starts[1] - 2 : layout.starts[1];
    return layout;
  }
  layout = TableLayout{};
  for (std::string_view t : toks)
    if (!lower_word(t)) return layout;
  layout.kind = TableLayout::Kind::kOtherYappi;  // thread stats and the like: not function rows
  return layout;
}

namespace {

// A yappi row split from the right: one token per value column (names may hold spaces), the rest
// is the name. *line loses its trailing blanks.
bool split_yappi_row(std::string_view* line, const TableLayout& layout, const char* name_title,
                     std::vector<std::string_view>* toks, std::string_view* name_text,
                     RowError* err) {
  while (!line->empty() && is_space(line->back())) line->remove_suffix(1);
  const size_t nvalues = layout.columns.size() - 1;
  toks->assign(nvalues, {});
  size_t end = line->size();
  for (size_t k = nvalues; k-- > 0;) {
    while (end > 0 && is_space((*line)[end - 1])) --end;
    size_t b = end;
    while (b > 0 && !is_space((*line)[b - 1])) --b;
    if (b == end || b == 0) {
      if (missing_column(*line, layout, err)) return false;
      return fail(err, b + 1,
                  fmt::format("expected {} and {} values ({}), got fewer fields", name_title,
                              nvalues, fmt::join(layout.titles.begin() + 1, layout.titles.end(), " ")));
    }
    (*toks)[k] = line->substr(b, end - b);
    end = b;
  }
  *name_text = trim(line->substr(0, end));
  if (name_text->empty()) return fail(err, 1, "missing the name column");
  return true;
}

}  // namespace

bool parse_yappi_row(std::string_view line, const TableLayout& layout, ParsedRow* row,
                     RowError* err) {
  *row = ParsedRow{};
  std::vector<std::string_view> toks;
  std::string_view name_text;
  if (!split_yappi_row(&line, layout, "a name", &toks, &name_text, err)) return false;
  const size_t nvalues = toks.size();
  for (size_t k = 0; k < nvalues; ++k) {
    TableColumn c = layout.columns[k + 1];
    std::string_view tok = toks[k];
    bool ok = true;
    int64_t ignored = 0;
    switch (c) {
      case TableColumn::kNcall: ok = parse_calls(tok, true, row); break;
      case TableColumn::kTsub: ok = parse_seconds(tok, true, &row->self_ns, &row->time_truncated); break;
      case TableColumn::kTtot: ok = parse_seconds(tok, true, &row->total_ns, &row->time_truncated); break;
      case TableColumn::kTavg: ok = parse_seconds(tok, true, &ignored, &row->time_truncated); break;
      case TableColumn::kName:
      case TableColumn::kId:
      case TableColumn::kTid:
      case TableColumn::kScnt: break;
    }
    if (!ok && missing_column(line, layout, err)) return false;
    if (!ok)
      return fail(err, col_of(line, tok),
                  fmt::format("expected a number in column {}, got {}", column_title(c), quoted(tok)));
  }
  split_yappi_name(name_text, row);
  row->name_trimmed = name_text.substr(0, 2) == ".." && name_text.size() >= layout.name_width;
  return true;
}

bool parse_yappi_thread_row(std::string_view line, const TableLayout& layout, ParsedThreadRow* row,
                            RowError* err) {
  *row = ParsedThreadRow{};
  std::vector<std::string_view> toks;
  std::string_view name_text;
  if (!split_yappi_row(&line, layout, "a thread name", &toks, &name_text, err)) return false;
  for (size_t k = 0; k < toks.size(); ++k) {
    TableColumn c = layout.columns[k + 1];
    std::string_view tok = toks[k];
    bool ok = true;
    switch (c) {
      case TableColumn::kTtot: ok = parse_seconds(tok, true, &row->ttot_ns, &row->time_truncated); break;
      case TableColumn::kId: ok = all_digits(tok), row->id = ok ? digits_value(tok) : -1; break;
      case TableColumn::kTid: ok = all_digits(tok), row->tid = ok ? digits_value(tok) : -1; break;
      case TableColumn::kScnt: ok = all_digits(tok), row->scnt = ok ? digits_value(tok) : -1; break;
      default: break;
    }
    if (!ok)
      return fail(err, col_of(line, tok),
                  fmt::format("expected a number in column {}, got {}", column_title(c), quoted(tok)));
  }
  row->name = name_text;
  row->name_trimmed = name_text.substr(0, 2) == ".." && name_text.size() >= layout.name_width;
  return true;
}

bool parse_cprofile_row(std::string_view line, ParsedRow* row, RowError* err) {
  *row = ParsedRow{};
  static const char* const kTitles[] = {"ncalls", "tottime", "percall", "cumtime", "percall"};
  std::string_view toks[5];
  size_t i = 0, n = line.size();
  for (int k = 0; k < 5; ++k) {
    while (i < n && is_space(line[i])) ++i;
    size_t b = i;
    while (i < n && !is_space(line[i])) ++i;
    if (i == b) return fail(err, i + 1, fmt::format("missing column {}", kTitles[k]));
    toks[k] = line.substr(b, i - b);
  }
  std::string_view name_text = trim(line.substr(i));
  if (name_text.empty()) return fail(err, n + 1, "missing column filename:lineno(function)");
  if (!parse_calls(toks[0], false, row))
    return fail(err, col_of(line, toks[0]),
                fmt::format("expected a call count like 12 or 12/3 in column ncalls, got {}",
                            quoted(toks[0])));
  int64_t ignored = 0;
  bool cut = false;
  int64_t* dest[5] = {nullptr, &row->self_ns, &ignored, &row->total_ns, &ignored};
  for (int k = 1; k < 5; ++k)
    if (!parse_seconds(toks[k], false, dest[k], &cut))
      return fail(err, col_of(line, toks[k]),
                  fmt::format("expected a number in column {}, got {}", kTitles[k], quoted(toks[k])));
  // pstats prints a single count when total == primitive
  if (row->primitive_calls < 0) row->primitive_calls = row->calls;
  split_cprofile_name(name_text, row);
  return true;
}

int64_t parse_cprofile_totals(std::string_view line) {
  std::vector<std::string_view> toks = split_ws(line);
  if (toks.size() < 6 || toks[1] != "function" || toks[2].substr(0, 5) != "calls" ||
      toks.back() != "seconds" || toks[toks.size() - 3] != "in")
    return -1;
  int64_t ns = 0;
  DecimalStatus st = parse_decimal(toks[toks.size() - 2], kNanoDigits, &ns);
  return st == DecimalStatus::kOk || st == DecimalStatus::kRounded ? ns : -1;
}

}  // namespace perfkit
