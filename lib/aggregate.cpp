#include "lib/aggregate.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/errors.h"
#include "lib/parallel.h"
#include "lib/regex.h"

namespace perfkit {

namespace {

// Per frame: does the regex match its function or file name? Evaluated once per distinct frame.
std::vector<uint8_t> match_frames(const Profile& p, const std::string& flag, const std::string& re) {
  std::vector<uint8_t> out;
  if (re.empty()) return out;
  Regex rx = compile_option_regex(flag, re);
  out.resize(p.frames().size());
  std::unordered_map<StrId, uint8_t> memo;
  auto matches = [&](StrId s) {
    auto it = memo.find(s);
    if (it != memo.end()) return it->second;
    std::string_view v = p.str(s);
    uint8_t m = rx.search(v) ? 1 : 0;
    memo.emplace(s, m);
    return m;
  };
  for (size_t i = 0; i < p.frames().size(); ++i) {
    const Frame& f = p.frames()[i];
    out[i] = matches(f.function) || (f.file != 0 && matches(f.file));
  }
  return out;
}

// Per stack node: does any frame on the path to the root match? Parents precede children in
// the trie, so one forward pass suffices.
std::vector<uint8_t> path_matches(const Profile& p, const std::vector<uint8_t>& frame_match) {
  const auto& nodes = p.stacks();
  std::vector<uint8_t> out(nodes.size(), 0);
  for (size_t i = 1; i < nodes.size(); ++i)
    out[i] = out[nodes[i].parent] | frame_match[nodes[i].frame];
  return out;
}

FlatTable aggregate_rows(const Profile& p, const AggregateOptions& opts) {
  FlatTable t;
  t.type = "time";
  t.unit = "seconds";
  t.scale = 1000000000;
  Regex focus, ignore;
  bool has_focus = !opts.filter.focus.empty(), has_ignore = !opts.filter.ignore.empty();
  if (has_focus) focus = compile_option_regex("--focus", opts.filter.focus);
  if (has_ignore) ignore = compile_option_regex("--ignore", opts.filter.ignore);
  std::unordered_map<uint64_t, size_t> index;
  int64_t largest = 0;
  for (const TableRow& r : p.rows) {
    t.self_total += std::llabs(r.self_ns);
    if (std::llabs(r.total_ns) > largest) largest = std::llabs(r.total_ns), t.total_row = r.name;
    std::string_view name = p.str(r.name), file = p.str(r.file);
    auto hit = [&](const Regex& rx) { return rx.search(name) || rx.search(file); };
    if (has_ignore && hit(ignore)) continue;
    if (has_focus && !hit(focus)) continue;
    t.kept_total += std::llabs(r.self_ns);
    uint64_t key = opts.by == Granularity::kFile ? r.file
                   : opts.by == Granularity::kLine || opts.by == Granularity::kAddress
                       ? (static_cast<uint64_t>(r.name) << 32 | r.file) ^ (uint64_t(r.line) << 48)
                       : (static_cast<uint64_t>(r.name) << 32 | r.file);
    auto [it, inserted] = index.try_emplace(key, t.rows.size());
    if (inserted) {
      FlatRow row;
      row.name = opts.by == Granularity::kFile ? r.file : r.name;
      row.file = r.file;
      row.line = opts.by == Granularity::kLine || opts.by == Granularity::kAddress ? r.line : 0;
      row.calls = 0;
      row.primitive_calls = r.primitive_calls >= 0 ? 0 : -1;
      t.rows.push_back(row);
    }
    FlatRow& row = t.rows[it->second];
    row.flat += r.self_ns;
    // Rows of one key (a file) may nest in each other; the largest total is a lower bound that
    // never double counts.
    row.cum = opts.by == Granularity::kFile ? std::max(row.cum, r.total_ns) : row.cum + r.total_ns;
    if (r.calls < 0 || row.calls < 0) row.calls = -1;
    else row.calls += r.calls;
    if (row.primitive_calls >= 0 && r.primitive_calls >= 0) row.primitive_calls += r.primitive_calls;
  }
  t.total_is_row = largest > t.self_total;
  t.total = t.total_is_row ? largest : t.self_total;
  if (!t.total_is_row) t.total_row = 0;
  return t;
}

}  // namespace

int resolve_value_index(const Profile& p, const std::string& name_or_index) {
  if (name_or_index.empty()) return p.default_value_index();
  int i = p.find_value_type(name_or_index);
  if (i >= 0) return i;
  char* end = nullptr;
  long n = std::strtol(name_or_index.c_str(), &end, 10);
  if (end && *end == '\0' && n >= 0 && n < static_cast<long>(p.value_types.size()))
    return static_cast<int>(n);
  std::string names;
  for (const auto& vt : p.value_types) names += std::string(names.empty() ? "" : ", ") +
                                                std::string(p.str(vt.type));
  throw UsageError(fmt::format("--sample-index {}: {} has no such value type (it has: {})",
                               name_or_index, p.path, names.empty() ? "none" : names));
}

std::vector<int64_t> stack_weights(const Profile& p, int value_index, const SampleFilter& filter) {
  std::vector<int64_t> w(p.stacks().size(), 0);
  if (value_index < 0) return w;
  std::vector<uint8_t> focus_path, ignore_path;
  if (!filter.focus.empty()) focus_path = path_matches(p, match_frames(p, "--focus", filter.focus));
  if (!filter.ignore.empty())
    ignore_path = path_matches(p, match_frames(p, "--ignore", filter.ignore));
  const auto& samples = p.samples();
  for (size_t i = 0; i < samples.size(); ++i) {
    StackId s = samples[i].stack;
    if (!ignore_path.empty() && ignore_path[s]) continue;
    if (!focus_path.empty() && !focus_path[s]) continue;
    w[s] += p.value(i, static_cast<size_t>(value_index));
  }
  return w;
}

Granularity parse_granularity(const std::string& by) {
  if (by == "function") return Granularity::kFunction;
  if (by == "filefunction") return Granularity::kFileFunction;
  if (by == "file") return Granularity::kFile;
  if (by == "line") return Granularity::kLine;
  if (by == "address") return Granularity::kAddress;
  throw UsageError("--by " + by + ": expected function, filefunction, file, line or address");
}

FlatRow flat_row(const Profile& p, const GraphNode& n, Granularity by) {
  FlatRow row;
  const Frame& f = p.frames()[n.frame];
  row.unsymbolized = f.unsymbolized;
  row.name = f.unsymbolized ? f.function : by == Granularity::kFile ? n.key.file : n.key.name;
  row.file = by == Granularity::kFunction && !f.unsymbolized ? f.file : n.key.file;
  row.line = n.key.line;
  row.objfile = n.key.objfile;
  row.start_line = n.key.start_line;
  row.address = n.key.address;
  row.flat = n.flat_value();
  row.cum = n.cum_value();
  return row;
}

FlatTable aggregate(const Profile& p, const AggregateOptions& opts) {
  if (p.sample_count() == 0 && !p.rows.empty()) return aggregate_rows(p, opts);
  FlatTable t;
  t.value_index = opts.value_index >= 0 ? opts.value_index : p.default_value_index();
  if (t.value_index < 0) return t;
  const ValueType& vt = p.value_types[t.value_index];
  t.type = p.str(vt.type);
  t.unit = p.str(vt.unit);
  t.scale = vt.scale;
  t.total = pprof_total(p, t.value_index, false);
  ViewOptions vo;
  vo.value_index = t.value_index;
  vo.filter = opts.filter;
  StackView view = build_view(p, vo);
  t.kept_total = view.kept_abs;
  PprofGraph g = graph_nodes(p, view, opts.by, opts.jobs);
  t.rows.reserve(g.nodes.size());
  for (const GraphNode& n : g.nodes) t.rows.push_back(flat_row(p, n, opts.by));

  // Traces: calls = number of spans per name (function granularity).
  if (!p.spans.empty() && opts.by == Granularity::kFunction) {
    std::unordered_map<StrId, int64_t> count;
    for (const Span& sp : p.spans)
      if (sp.kind == SpanKind::kComplete && !sp.summary) ++count[sp.name];
    for (FlatRow& r : t.rows) {
      auto it = count.find(r.name);
      r.calls = it == count.end() ? -1 : it->second;
    }
  }
  return t;
}

void sort_rows(const Profile& p, std::vector<FlatRow>& rows, SortKey key) {
  auto by_name = [&](const FlatRow& a, const FlatRow& b) {
    std::string_view an = p.str(a.name), bn = p.str(b.name);
    if (an != bn) return an < bn;
    std::string_view af = p.str(a.file), bf = p.str(b.file);
    if (af != bf) return af < bf;
    return a.line < b.line;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const FlatRow& a, const FlatRow& b) {
    int64_t af = std::llabs(a.flat), bf = std::llabs(b.flat);
    int64_t ac = std::llabs(a.cum), bc = std::llabs(b.cum);
    if (key == SortKey::kFlat && af != bf) return af > bf;
    if (key == SortKey::kCum && ac != bc) return ac > bc;
    if (key != SortKey::kName) {
      std::string_view an = p.str(a.name), bn = p.str(b.name);
      if (an != bn) return an < bn;
      if (key == SortKey::kFlat && ac != bc) return ac > bc;
      if (key == SortKey::kCum && af != bf) return af > bf;
    }
    return by_name(a, b);
  });
}

}  // namespace perfkit
