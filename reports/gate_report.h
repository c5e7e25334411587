// Renders a gate verdict (lib/gate.h): text (a short verdict listing every failing rule with
// numbers), Markdown (a PR comment), JSON, JUnit XML (one test case per rule) and GitHub
// workflow commands (::error annotations at the function's file and line when known).
#pragma once
#include <string>

#include "lib/gate.h"

namespace perfkit {

struct GateReportInfo {
  std::string base_label, new_label;  // paths as given (joined with spaces for several runs)
  std::string policy_summary;         // one line describing the thresholds in force
};

// One line for a rule result, with its numbers: what the text, junit and github reports say.
std::string describe_rule(const RuleResult& r, const GateVerdict& v);

std::string render_gate_text(const GateVerdict& v, const GateReportInfo& info);
std::string render_gate_md(const GateVerdict& v, const GateReportInfo& info);
std::string render_gate_json(const GateVerdict& v, const GateReportInfo& info);
std::string render_gate_junit(const GateVerdict& v, const GateReportInfo& info);
std::string render_gate_github(const GateVerdict& v, const GateReportInfo& info);

}  // namespace perfkit
