// `perfkit report --format html` (one input) and `perfkit report --base BASE NEW --format html`
// (a diff): reads the inputs, runs the analyses the other reports use (findings, top table,
// flame tree, span percentiles, thread overview; diff table and differential flame tree) and
// writes one self-contained page (reports/report_html.h). cli/cmd_report.cpp dispatches here.
#pragma once
#include <string>

#include "lib/aggregate.h"
#include "lib/input.h"

namespace perfkit::cli {

struct HtmlReportRequest {
  std::string file;      // the input, or NEW of a diff
  std::string base;      // "" = not a diff
  std::string sample_index;
  SampleFilter filter;
  size_t per_section = 5;
  bool normalize = false;  // diff: scale the new input to the base total (pprof)
  std::string output;    // "" or "-" = stdout
  ReadOptions read;
};

// The command line shown in the page's footer, rebuilt from the request (shell-quoted).
std::string html_command_line(const HtmlReportRequest& r);

int run_html_report(const HtmlReportRequest& r);

}  // namespace perfkit::cli
