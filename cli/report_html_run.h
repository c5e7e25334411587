// `perfkit report --format html` (one input) and `perfkit report --base BASE NEW --format html`
// (a diff): runs the analyses the other reports use (findings, top table, flame tree, span
// percentiles, thread overview; diff table and differential flame tree) once, and renders the
// self-contained page (reports/report_html.h) for each html output. cli/cmd_report.cpp uses it.
#pragma once
#include <string>

#include "lib/aggregate.h"
#include "lib/diff.h"
#include "lib/input.h"
#include "lib/report_findings.h"
#include "lib/span_stats.h"
#include "reports/report_html.h"

namespace perfkit::cli {

struct HtmlReportRequest {
  std::string file;      // the input, or NEW of a diff
  std::string base;      // "" = not a diff
  std::string sample_index;
  SampleFilter filter;
  size_t per_section = 5;
  bool normalize = false;  // diff: scale the new input to the base total (pprof)
  ReadOptions read;
  bool simplify_names = false;  // --simplify-names (prepare_single: the caller simplifies)
};

// The command line shown in the page's footer, rebuilt from the request and the page's own
// output ("" or "-" = stdout), shell-quoted: the single-output command that writes this page.
std::string html_command_line(const HtmlReportRequest& r, const std::string& output);

// The page's data, computed once and rendered for each html output.
class HtmlPage {
 public:
  HtmlPage() = default;
  HtmlPage(const HtmlPage&) = delete;
  HtmlPage& operator=(const HtmlPage&) = delete;
  // One input, read by the caller (span samples added, warnings printed). The findings it
  // computes are the text report's (findings()).
  void prepare_single(const HtmlReportRequest& r, const Profile& p);
  // A diff page of r.file against r.base: reads both.
  void prepare_diff(const HtmlReportRequest& r);
  const ReportFindings& findings() const { return findings_; }
  std::string render(const std::string& output);

 private:
  HtmlReportRequest request_;
  HtmlReportData data_;
  ReportFindings findings_;
  SpanStats spans_;
  DiffTable diff_;
  bool has_findings_ = false, has_spans_ = false, has_diff_ = false;
};

}  // namespace perfkit::cli
