// `perfkit gate --format github`: GitHub Actions workflow commands. Failures are ::error and
// warnings ::warning annotations, at the function's file and line when the input knows them;
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
  (void)info;
  std::string out;
  for (const RuleResult& r : v.results) {
    if (r.outcome == Outcome::kPass) continue;
    std::string props;
    if (!r.file.empty()) props += "file=" + esc_prop(r.file);
    if (!r.file.empty() && r.line > 0) props += fmt::format(",line={}", r.line);
    props += std::string(props.empty() ? "" : ",") +
             "title=" + esc_prop(fmt::format("perfkit gate: {} {}", r.rule,
                                             r.outcome == Outcome::kFail ? "regression" : "warning"));
    out += fmt::format("::{} {}::{}\n", r.outcome == Outcome::kFail ? "error" : "warning", props,
                       esc_data(describe_rule(r, v)));
  }
  for (const std::string& n : v.notes) out += "::notice title=perfkit gate::" + esc_data(n) + "\n";
  out += fmt::format("::notice title=perfkit gate::{} ({} failed, {} warnings, {} passed)\n",
                     v.pass ? "PASS" : "FAIL", v.failed, v.warned, v.passed);
  return out;
}

}  // namespace perfkit
