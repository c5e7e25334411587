// pprof's -tree and -peek (report.printTree) and -traces (report.printTraces), line for line
// (with perfkit's human units instead of pprof's labels for non-pprof input: ValueLabels).
#include <algorithm>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/pprof_graph.h"
#include "lib/regex.h"
#include "lib/units.h"
#include "reports/escape.h"
#include "reports/pprof_header.h"
#include "reports/tree_report.h"

namespace perfkit {
namespace {

constexpr const char* kTreeSeparator = "----------------------------------------------------------+-------------";
constexpr const char* kTreeLegend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ";
constexpr const char* kTracesSeparator = "-----------+-------------------------------------------------------";

}  // namespace

std::string render_tree(const Profile& p, const TopTable& t, Granularity by, const Regex* symbol) {
  const FlatTable& ft = t.table;
  ValueLabels fv(t, ft);
  std::string out;
  for (const auto& l : pprof_report_labels(t, fv)) out += l + "\n";
  out += std::string(kTreeSeparator) + "\n" + kTreeLegend + "\n";
  std::vector<std::string> names;
  for (const FlatRow& r : ft.rows) names.push_back(row_display_name(p, r, by));
  for (const FlatRow& r : t.ghost_rows) names.push_back(row_display_name(p, r, by));
  std::vector<std::vector<uint32_t>> in(names.size()), outs(names.size());
  for (uint32_t e = 0; e < t.edges.size(); ++e) {
    in[t.edges[e].dst].push_back(e);
    outs[t.edges[e].src].push_back(e);
  }
  // EdgeMap.Sort: |weight| descending (when the weights differ), then source and target names.
  auto sort_edges = [&](std::vector<uint32_t>& v) {
    std::sort(v.begin(), v.end(), [&](uint32_t a, uint32_t b) {
      const GraphEdge& x = t.edges[a];
      const GraphEdge& y = t.edges[b];
      if (x.weight != y.weight) return std::llabs(x.weight) > std::llabs(y.weight);
      if (names[x.src] != names[y.src]) return names[x.src] < names[y.src];
      return names[x.dst] < names[y.dst];
    });
  };
  int64_t flat_sum = 0;
  size_t matched = 0;
  for (size_t i = 0; i < ft.rows.size(); ++i) {
    const FlatRow& r = ft.rows[i];
    if (symbol && !symbol->search(names[i])) continue;
    ++matched;
    out += std::string(kTreeSeparator) + "\n";
    sort_edges(in[i]);
    sort_edges(outs[i]);
    auto edge_line = [&](const GraphEdge& e, const std::string& other) {
      out += fmt::format("{:>50} {} |   {}{}\n", fv(e.weight), fv.percent(e.weight, r.cum), other,
                         e.inlined ? " (inline)" : "");
    };
    for (uint32_t e : in[i]) edge_line(t.edges[e], names[t.edges[e].src]);
    flat_sum += r.flat;
    out += fmt::format("{:>10} {} {} {:>10} {}                | {}\n", fv(r.flat),
                       fv.percent(r.flat, ft.total), fv.percent(flat_sum, ft.total), fv(r.cum),
                       fv.percent(r.cum, ft.total), names[i]);
    for (uint32_t e : outs[i]) edge_line(t.edges[e], names[t.edges[e].dst]);
  }
  if (!ft.rows.empty()) out += std::string(kTreeSeparator) + "\n";
  if (symbol && matched == 0) throw NoMatch();
  return out;
}

std::string render_traces(const Profile& p, const TopTable& t, const StackView& v, Granularity by,
                          const Regex* tagshow, const Regex* taghide) {
  ValueLabels fv(t, t.table);
  std::string out;
  for (const auto& l : pprof_profile_labels(t, fv)) out += l + "\n";
  const std::map<StrId, std::string> num_units = num_label_units(p);
  const auto& samples = p.has_deferred_stacks() ? p.stack_lists().samples : p.samples();
  const size_t vi = static_cast<size_t>(t.table.value_index);
  std::vector<uint32_t> entries;
  auto shown_key = [&](StrId key) {
    std::string_view k = p.str(key);
    return (!tagshow || tagshow->search(k)) && !(taghide && taghide->search(k));
  };
  // pprof merges the samples of its input first (profile.Merge): samples with the same stack and
  // labels become one, summed, and samples whose values are all zero are dropped.
  const size_t ncol = p.value_types.size();
  std::vector<size_t> order;                 // first sample of each merged group, in file order
  std::vector<std::vector<int64_t>> sums;    // per group
  {
    std::unordered_map<std::string, size_t> group;
    std::vector<std::tuple<StrId, StrId, int64_t, StrId>> key_labels;
    for (size_t i = 0; i < samples.size(); ++i) {
      const Sample& smp = samples[i];
      key_labels.clear();
      for (uint32_t k = 0; k < smp.label_count; ++k) {
        const Label& l = p.labels()[smp.label_begin + k];
        key_labels.emplace_back(l.key, l.str, l.num, l.num_unit);
      }
      std::sort(key_labels.begin(), key_labels.end());
      std::string key(reinterpret_cast<const char*>(&smp.stack), sizeof smp.stack);
      for (const auto& [k, str, num, unit] : key_labels) {
        key.append(reinterpret_cast<const char*>(&k), sizeof k);
        key.append(reinterpret_cast<const char*>(&str), sizeof str);
        key.append(reinterpret_cast<const char*>(&num), sizeof num);
        key.append(reinterpret_cast<const char*>(&unit), sizeof unit);
      }
      auto [it, fresh] = group.try_emplace(std::move(key), order.size());
      if (fresh) {
        order.push_back(i);
        sums.emplace_back(ncol, 0);
      }
      for (size_t c = 0; c < ncol; ++c) sums[it->second][c] += p.value(i, c);
    }
  }
  for (size_t g = 0; g < order.size(); ++g) {
    const size_t i = order[g];
    if (std::all_of(sums[g].begin(), sums[g].end(), [](int64_t x) { return x == 0; })) continue;
    const uint32_t s = v.sample_stack[i];
    if (s == UINT32_MAX) continue;
    entries.clear();  // leaf first
    if (v.lists) {
      for (uint32_t k = v.begin[s + 1]; k-- > v.begin[s];) entries.push_back(v.entries[k]);
    } else {
      for (uint32_t n = s; n != 0; n = v.parent[n]) entries.push_back(v.entries[n]);
    }
    if (entries.empty()) continue;
    out += std::string(kTracesSeparator) + "\n";
    // Labels: one line per key, values in order; string labels, then numeric, each sorted.
    const Sample& smp = samples[i];
    const Label* lb = p.labels().data() + smp.label_begin;
    std::vector<std::string> str_lines, num_lines;
    std::vector<StrId> done;
    for (uint32_t a = 0; a < smp.label_count; ++a) {
      const bool is_str = lb[a].str != 0;
      const StrId key = lb[a].key;
      if (!shown_key(key)) continue;
      if (std::find(done.begin(), done.end(), key * 2 + is_str) != done.end()) continue;
      done.push_back(key * 2 + is_str);
      std::string values;
      for (uint32_t b = a; b < smp.label_count; ++b) {
        if (lb[b].key != key || (lb[b].str != 0) != is_str) continue;
        if (!values.empty()) values += ' ';
        if (is_str) {
          values += p.str(lb[b].str);
        } else {
          auto u = num_units.find(key);
          values += units::pprof_label(lb[b].num, u == num_units.end() ? "" : u->second, "auto");
        }
      }
      (is_str ? str_lines : num_lines).push_back(fmt::format("{:>10}:  {}\n", p.str(key), values));
    }
    std::sort(str_lines.begin(), str_lines.end());
    std::sort(num_lines.begin(), num_lines.end());
    for (const auto& l : str_lines) out += l;
    for (const auto& l : num_lines) out += l;
    int64_t value = sums[g][vi];
    if (t.mean) {
      const int64_t d = sums[g][0];
      if (d != 0) value /= d;
    }
    for (size_t k = 0; k < entries.size(); ++k) {
      const uint32_t e = entries[k];
      const Frame& f = p.frames()[e & kViewFrame];
      const bool inl = v.borrowed ? f.inlined : (e & kViewInline) != 0;
      out += fmt::format("{:>10}   {}{}\n", k == 0 ? fv(value) : std::string(),
                         node_name(p, node_key(f, by)), inl ? " (inline)" : "");
    }
  }
  out += std::string(kTracesSeparator) + "\n";
  return out;
}

namespace {

// The nodes a reversed tree shows: kept[n] when n is above the node fraction, so is every
// ancestor, and its root is among the first `roots` leaf functions.
struct ReverseShown {
  std::vector<std::vector<uint32_t>> kids;  // shown children, sorted
  size_t dropped = 0;     // nodes under the fraction (each counted once, with what is beneath)
  size_t leaf_count = 0;  // leaf functions above the fraction
  int64_t shown_value = 0;
};

ReverseShown reverse_shown(const TopTable& t, const ReverseTree& rt, const ReverseRender& o) {
  ReverseShown r;
  r.kids.resize(rt.nodes.size());
  const int64_t cut = std::llabs(static_cast<int64_t>(double(t.table.total) * o.node_fraction));
  auto above = [&](uint32_t n) {
    const int64_t v = std::llabs(rt.nodes[n].shown(t.mean));
    return o.node_fraction > 0 ? v > cut : v != 0 || rt.nodes[n].value != 0;
  };
  std::vector<uint32_t> todo{0};
  while (!todo.empty()) {
    const uint32_t n = todo.back();
    todo.pop_back();
    for (uint32_t c : sorted_children(rt, n, t.mean)) {
      if (above(c)) r.kids[n].push_back(c);
      else ++r.dropped;
    }
    if (n == 0) {
      r.leaf_count = r.kids[0].size();
      if (o.roots != 0 && r.kids[0].size() > o.roots) r.kids[0].resize(o.roots);
      for (uint32_t c : r.kids[0]) r.shown_value += rt.nodes[c].shown(t.mean);
    }
    for (uint32_t c : r.kids[n]) todo.push_back(c);
  }
  return r;
}

// Guides shown in full for this many levels; deeper lines say their depth instead.
constexpr uint32_t kGuideLevels = 32;

std::string reverse_text(const TopTable& t, const ReverseTree& rt, const ReverseShown& r,
                         const ReverseRender& o) {
  FlatTable shown = t.table;  // the output unit is chosen over the nodes shown
  shown.rows.clear();
  std::vector<uint32_t> todo(r.kids[0].rbegin(), r.kids[0].rend());
  std::vector<uint32_t> order;  // depth first, children in order
  while (!todo.empty()) {
    const uint32_t n = todo.back();
    todo.pop_back();
    order.push_back(n);
    FlatRow row;
    row.flat = row.cum = rt.nodes[n].shown(t.mean);
    shown.rows.push_back(row);
    todo.insert(todo.end(), r.kids[n].rbegin(), r.kids[n].rend());
  }
  ValueLabels fv(t, shown);
  std::string out;
  for (const auto& l : pprof_profile_labels(t, fv)) out += l + "\n";
  for (const auto& l : pprof_filter_labels(t)) out += l + "\n";
  std::string pct = fv.percent(r.shown_value, t.table.total);
  pct.erase(0, pct.find_first_not_of(' '));
  out += fmt::format("Showing leaf functions accounting for {}, {} of {} total\n", fv(r.shown_value), pct,
                     fv(t.table.total));
  if (r.dropped > 0)
    out += fmt::format("Dropped {} node{} (value <= {})\n", r.dropped, r.dropped > 1 ? "s" : "",
                       fv(std::llabs(static_cast<int64_t>(double(t.table.total) * o.node_fraction))));
  if (r.kids[0].size() < r.leaf_count)
    out += fmt::format("Showing top {} leaf functions out of {}\n", r.kids[0].size(), r.leaf_count);
  out += "      self  self%  function, then its callers (each line: the self value reached through it)\n";
  // last[d]: the shown node at depth d on the current path is its parent's last shown child.
  std::vector<uint8_t> last;
  for (uint32_t n : order) {
    const ReverseNode& node = rt.nodes[n];
    const std::vector<uint32_t>& sib = r.kids[node.parent];
    if (last.size() <= node.depth) last.resize(node.depth + 1);
    last[node.depth] = sib.back() == n;
    std::string guide;
    if (node.depth > 1) {
      const uint32_t from = node.depth - 1 > kGuideLevels ? node.depth - kGuideLevels : 2;
      if (from > 2) guide += fmt::format("[{}] ", node.depth);
      for (uint32_t d = from; d < node.depth; ++d) guide += last[d] ? "   " : "\u2502  ";
      guide += last[node.depth] ? "\u2514\u2500 " : "\u251c\u2500 ";
    }
    const int64_t v = node.shown(t.mean);
    out += fmt::format("{:>10} {}  {}{}\n", fv(v), fv.percent(v, t.table.total), guide,
                       rt.names[node.name]);
  }
  return out;
}

std::string reverse_json(const TopTable& t, const ReverseTree& rt, const ReverseShown& r) {
  const FlatTable& ft = t.table;
  auto number = [&](int64_t stored) {
    return ft.scale == 1 ? fmt::format("{}", stored) : fmt::format("{}", value_in_unit(ft, stored));
  };
  std::string out = "{\"value_type\":{\"type\":";
  append_json_string(out, ft.type);
  out += ",\"unit\":";
  append_json_string(out, ft.unit);
  out += fmt::format("}},\"total\":{},\"shown\":{},\"mean\":{},\"dropped_nodes\":{},\"leaf_functions\":{},\"roots\":[",
                     number(ft.total), number(r.shown_value), t.mean ? "true" : "false", r.dropped, r.leaf_count);
  // Iterative, so a deep chain cannot exhaust the stack: (node, next child index).
  std::vector<std::pair<uint32_t, size_t>> stack{{0, 0}};
  while (!stack.empty()) {
    auto& [n, i] = stack.back();
    if (i == r.kids[n].size()) {
      out += "]";
      if (n != 0) out += "}";
      stack.pop_back();
      continue;
    }
    if (i > 0) out += ",";
    const uint32_t c = r.kids[n][i++];
    out += "{\"name\":";
    append_json_string(out, rt.names[rt.nodes[c].name]);
    out += ",\"value\":" + number(rt.nodes[c].shown(t.mean)) + ",\"callers\":[";
    stack.emplace_back(c, 0);
  }
  out += "}\n";
  return out;
}

}  // namespace

std::string render_reverse_tree(const TopTable& t, const ReverseTree& rt, const ReverseRender& o) {
  const ReverseShown r = reverse_shown(t, rt, o);
  return o.json ? reverse_json(t, rt, r) : reverse_text(t, rt, r, o);
}

}  // namespace perfkit
