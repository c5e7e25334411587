// `perfkit gate --format junit`: one test case per rule, so a regression is a real test failure
// in any CI that reads JUnit XML.
#include <fmt/format.h>

#include "reports/gate_report.h"

namespace perfkit {

namespace {

std::string xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters; drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_gate_junit(const GateVerdict& v, const GateReportInfo& info) {
  const size_t tests = v.results.size();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"perfkit gate\" tests=\"{}\" failures=\"{}\">\n", tests,
                     v.failed);
  out += fmt::format("  <testsuite name=\"perfkit gate\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
                     "skipped=\"0\">\n",
                     tests, v.failed);
  out += "    <properties>\n";
  out += fmt::format("      <property name=\"base\" value=\"{}\"/>\n", xml(info.base_label));
  out += fmt::format("      <property name=\"new\" value=\"{}\"/>\n", xml(info.new_label));
  out += fmt::format("      <property name=\"policy\" value=\"{}\"/>\n", xml(info.policy_summary));
  out += "    </properties>\n";
  for (const RuleResult& r : v.results) {
    std::string name = r.subject;
    if (r.percentile) name += fmt::format(" p{}", r.percentile);
    std::string attrs = fmt::format("classname=\"perfkit.gate.{}\" name=\"{}\"", r.rule, xml(name));
    if (!r.file.empty()) attrs += fmt::format(" file=\"{}\"", xml(r.file));
    if (r.line > 0) attrs += fmt::format(" line=\"{}\"", r.line);
    std::string msg = describe_rule(r, v);
    if (r.cause >= 0) msg += "; cause: " + v.causes[r.cause].subject;
    msg = xml(msg);
    if (r.outcome == Outcome::kFail) {
      out += fmt::format("    <testcase {}>\n      <failure message=\"{}\" type=\"regression\">{}"
                         "</failure>\n    </testcase>\n",
                         attrs, msg, msg);
    } else {
      out += fmt::format("    <testcase {}>\n      <system-out>{}{}</system-out>\n    </testcase>\n",
                         attrs, r.outcome == Outcome::kWarn ? "WARN: " : "", msg);
    }
  }
  if (!v.notes.empty()) {
    out += "    <system-out>";
    for (const std::string& n : v.notes) out += xml("note: " + n) + "\n";
    out += "</system-out>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace perfkit
