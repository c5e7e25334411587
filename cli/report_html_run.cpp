#include "cli/report_html_run.h"

#include "cli/command.h"
#include "cli/diff_inputs.h"
#include "formats/registry.h"
#include "lib/diff.h"
#include "lib/flame.h"
#include "lib/report_findings.h"
#include "lib/span_stacks.h"
#include "lib/span_stats.h"
#include "lib/summary.h"
#include "lib/thread_overview.h"
#include "lib/top_table.h"
#include "reports/report_html.h"

namespace perfkit::cli {
namespace {

std::string shell_quote(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s)
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./=:,+@%").find(c) != std::string_view::npos);
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One view per value type: the top table (all rows; the renderer cuts) and the flame graph
// (add_flame; a pprof profile's tables and flame graphs read its stack lists as they are).
HtmlView make_view(const Profile& p, int index, const SampleFilter& filter) {
  TopOptions o;
  o.agg.value_index = index;
  o.agg.filter = filter;
  o.limit = 0;
  TopTable t = compute_top(p, o);
  HtmlView v;
  v.type = t.table.type;
  v.unit = t.table.unit;
  v.scale = t.table.scale;
  v.total = t.table.total;
  v.has_calls = t.has_calls;
  v.rows.reserve(t.table.rows.size());
  for (const FlatRow& r : t.table.rows)
    v.rows.push_back({row_display_name(p, r, Granularity::kFunction), std::string(p.str(r.file)),
                      r.flat, r.cum, r.calls});
  return v;
}

// Only what the page draws of the tree is kept: the next view's tree is built after this one's
// is gone.
void add_flame(const Profile& p, int index, const SampleFilter& filter, const HtmlLimits& lim,
               HtmlView& v) {
  if (p.sample_count() == 0) return;
  v.page_flame = filter.empty()
                     ? prune_flame_for_page(p, index, lim)
                     : prune_flame_for_page(build_flame_tree(p, FlameOptions{index, filter}), lim);
}

std::string page_title(const HtmlReportRequest& r) {
  if (r.base.empty()) return "perfkit report: " + r.file;
  return "perfkit diff: " + r.base + " \u2192 " + r.file;
}

}  // namespace

std::string html_command_line(const HtmlReportRequest& r, const std::string& output) {
  std::string s = "perfkit report";
  auto arg = [&](const std::string& a) { s += " " + shell_quote(a); };
  auto opt = [&](const char* name, const std::string& v) {
    if (!v.empty()) arg(name), arg(v);
  };
  opt("--base", r.base);
  arg(r.file);
  opt("--sample-index", r.sample_index);
  opt("--focus", r.filter.focus);
  opt("--ignore", r.filter.ignore);
  opt("--hide", r.filter.hide);
  if (r.normalize) arg("--normalize");
  if (r.simplify_names) arg("--simplify-names");
  s += " --format html";
  opt("-o", output);
  return s;
}

void HtmlPage::prepare_single(const HtmlReportRequest& r, const Profile& p) {
  request_ = r;
  HtmlReportData& d = data_;
  d.title = page_title(r);
  int def = resolve_value_index(p, r.sample_index);
  if (p.value_types.empty()) {
    d.views.push_back(make_view(p, def, r.filter));
  } else {
    for (int k = 0; k < static_cast<int>(p.value_types.size()); ++k) {
      if (k == def) d.default_view = static_cast<int>(d.views.size());
      d.views.push_back(make_view(p, k, r.filter));
    }
  }
  // The flame graphs next: without a filter they are walked from the stack lists, before
  // anything builds the stack trie (summarize and the findings' call graph do).
  if (p.value_types.empty()) {
    add_flame(p, def, r.filter, d.limits, d.views[0]);
  } else {
    for (int k = 0; k < static_cast<int>(p.value_types.size()); ++k)
      add_flame(p, k, r.filter, d.limits, d.views[static_cast<size_t>(k)]);
  }
  ReportOptions ro;
  ro.agg.value_index = def;
  ro.agg.filter = r.filter;
  ro.per_section = r.per_section;
  findings_ = compute_findings(p, ro);
  has_findings_ = true;
  d.inputs.push_back(summarize(p));  // after the tables: it builds the stack trie
  if (!p.spans.empty()) {
    spans_ = compute_span_stats(p, SpanStatsOptions{});
    has_spans_ = true;
    d.threads = compute_thread_overview(p);
  }
}

void HtmlPage::prepare_diff(const HtmlReportRequest& r) {
  request_ = r;
  HtmlReportData& d = data_;
  d.title = page_title(r);
  CompareOptions co;
  co.sample_index = r.sample_index;
  co.filters.filter = r.filter;
  co.normalize = r.normalize;
  co.read = r.read;
  co.simplify_names = r.simplify_names;
  LoadedRuns runs = load_runs({r.base}, {r.file}, co);
  diff_ = diff_runs(runs.base, runs.new_runs, diff_options(co));
  sort_diff(diff_.rows, DiffSort::kDeltaCum);
  has_diff_ = true;
  Profile& base = *runs.profiles[0];
  Profile& cur = *runs.profiles[1];
  d.inputs.push_back(summarize(base));
  d.inputs.push_back(summarize(cur));
  add_span_samples(base);
  add_span_samples(cur);
  if (!base.samples().empty() && !cur.samples().empty()) {
    ValuePair vp = resolve_comparable(base, cur, r.sample_index);
    d.diff_flame = build_diff_flame_tree(base, cur, FlameOptions{vp.base_index, r.filter},
                                         FlameOptions{vp.new_index, r.filter});
  }
}

std::string HtmlPage::render(const std::string& output) {
  HtmlReportData& d = data_;  // the footer is this output's
  d.version = PERFKIT_VERSION;
  d.command_line = html_command_line(request_, output);
  if (has_findings_) d.findings = &findings_;
  if (has_spans_) d.spans = &spans_;
  if (has_diff_) d.diff = &diff_;
  return render_html_report(d);
}

}  // namespace perfkit::cli
