// Renderers of `perfkit report` findings: text (terminal), Markdown (a PR comment), JSON (for the
// HTML report and scripts), CSV (one row per finding).
#pragma once
#include <string>
#include <vector>

#include "lib/report_findings.h"

namespace perfkit {

std::string render_report_text(const ReportFindings& f);
std::string render_report_md(const ReportFindings& f);
std::string render_report_json(const ReportFindings& f);
std::string render_report_csv(const ReportFindings& f);

// "a → b → … → y → z": paths longer than 7 frames keep their first 2 and last 4.
std::string abbreviate_path(const std::vector<std::string>& path, const char* arrow = " → ");
// The report's first line: input, format, value type, total, duration.
std::string report_headline(const ReportFindings& f);

}  // namespace perfkit
