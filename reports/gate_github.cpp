// `perfkit gate --format github`: GitHub Actions workflow commands. One ::error (or ::warning)
// annotation per root cause, and per failing rule under no cause, at the function's file and line
// only when that file exists under the source root (GitHub drops annotations on other files);
// notes and the verdict are ::notice lines.
#include <fmt/format.h>

#include "reports/gate_report.h"

namespace perfkit {

namespace {

// Workflow command escaping: data escapes % CR LF; properties also : and ,.
std::string esc_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string esc_prop(std::string_view s) {
  std::string out;
  for (char c : esc_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

std::string render_gate_github(const GateVerdict& v, const GateReportInfo& info) {
  std::string out;
  auto annotate = [&](bool fail, const std::string& file, int64_t line, const std::string& title,
                      const std::string& text) {
    std::string props;
    auto it = info.source_files.find(file);
    if (it != info.source_files.end()) {
      props += "file=" + esc_prop(it->second);
      if (line > 0) props += fmt::format(",line={}", line);
      props += ",";
    }
    props += "title=" + esc_prop(title);
    out += fmt::format("::{} {}::{}\n", fail ? "error" : "warning", props, esc_data(text));
  };
  // The causes, then failures under no cause (the total, spans, budgets; every function when
  // the inputs have no stacks), at most max_lines of those.
  for (size_t k = 0; k < v.causes.size(); ++k) {
    bool fails = false;
    for (const RuleResult& r : v.results)
      fails = fails || (r.cause == static_cast<int>(k) && r.outcome == Outcome::kFail);
    annotate(fails, v.causes[k].file, v.causes[k].line, "perfkit gate: regression cause",
             describe_cause(v.causes[k], v));
  }
  size_t loose = 0, hidden = 0, grouped = 0;
  for (const RuleResult& r : v.results) {
    if (r.outcome == Outcome::kPass) continue;
    if (r.cause >= 0) {
      ++grouped;
      continue;
    }
    if (info.max_lines > 0 && loose >= info.max_lines) {
      ++hidden;
      continue;
    }
    ++loose;
    annotate(r.outcome == Outcome::kFail, r.file, r.line,
             fmt::format("perfkit gate: {} {}", r.rule,
                         r.outcome == Outcome::kFail ? "regression" : "warning"),
             describe_rule(r, v));
  }
  for (const std::string& n : v.notes) out += "::notice title=perfkit gate::" + esc_data(n) + "\n";
  std::string rest;
  if (grouped > 0) rest += fmt::format("; {} rules grouped under the causes", grouped);
  if (hidden > 0) rest += fmt::format("; {} more not annotated", hidden);
  if (!rest.empty()) rest += " (see --format json)";
  out += fmt::format("::notice title=perfkit gate::{} ({} failed, {} warnings, {} passed{})\n",
                     v.pass ? "PASS" : "FAIL", v.failed, v.warned, v.passed, rest);
  return out;
}

}  // namespace perfkit
