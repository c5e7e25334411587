// Renders a diff (lib/diff.h) as text, JSON, CSV or Markdown. Rows are rendered in the order
// given (the CLI sorts and cuts them); `total_rows` is how many there were before the cut.
#pragma once
#include <string>

#include "lib/diff.h"
#include "lib/terminal.h"

namespace perfkit {

struct DiffReportInfo {
  std::string base_label, new_label;  // paths as given
  size_t total_rows = 0;              // rows before -n
  std::string sort_label = "|cum delta|";
  Granularity by = Granularity::kFunction;
};

// style.width > 0 (a terminal): columns dropped and names cut to fit; style.color paints the
// deltas (growth red, shrinkage green).
std::string render_diff_text(const DiffTable& d, const DiffReportInfo& info,
                             const terminal::TextStyle& style = {});
// {"value_type":{"type","unit"},"base_total","new_total","rows":[{"name","file","base_flat","new_flat",
//  "base_cum","new_cum","delta_flat","delta_cum","status"}]}; renamed rows add "base_name",
// normalized diffs add "normalized", traces add "spans".
std::string render_diff_json(const DiffTable& d, const DiffReportInfo& info);
std::string render_diff_csv(const DiffTable& d, const DiffReportInfo& info);
std::string render_diff_md(const DiffTable& d, const DiffReportInfo& info);

}  // namespace perfkit
