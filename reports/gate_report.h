// Renders a gate verdict (lib/gate.h): text (a short verdict listing every failing rule with
// numbers), Markdown (a PR comment), JSON, JUnit XML (one test case per rule) and GitHub
// workflow commands (::error annotations at the function's file and line when known).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lib/gate.h"
#include "lib/terminal.h"

namespace perfkit {

struct GateReportInfo {
  std::string base_label, new_label;  // paths as given (joined with spaces for several runs)
  std::string policy_summary;         // one line describing the thresholds in force
  size_t max_lines = 10;              // text and md: failing/warning lines shown (0 = all)
  // github: the files that exist under the source root, profile path -> path relative to it.
  // Annotations name only these files.
  std::map<std::string, std::string> source_files;
};

// What the text and Markdown verdicts show, in order: a cause's line (rule == SIZE_MAX) followed
// by the rules grouped under it, then rules under no cause (cause -1). At most max_lines lines:
// the causes first, then failures that are not functions (the total), then one rule of each
// group in turn.
struct GateLine {
  int cause = -1;
  size_t rule = SIZE_MAX;  // index into GateVerdict::results
};
struct GatePlan {
  std::vector<GateLine> lines;
  size_t hidden_rules = 0, hidden_causes = 0;
};
GatePlan plan_gate_lines(const GateVerdict& v, size_t max_lines);

// One line for a cause: its own change, what it is made of, its share of the growth. `name`
// formats function and file names (Markdown: code spans); default as they are.
std::string describe_cause(const GateCause& c, const GateVerdict& v,
                           const std::function<std::string(std::string_view)>& name = {},
                           bool color = false);

// One line for a rule result, with its numbers: what the text, junit and github reports say.
// color: the changes painted (growth red, shrinkage green; lib/terminal.h).
std::string describe_rule(const RuleResult& r, const GateVerdict& v, bool color = false);

// style.color: FAIL red, WARN yellow, PASS green and the changes painted; the caller wraps lines
// to style.width.
std::string render_gate_text(const GateVerdict& v, const GateReportInfo& info,
                             const terminal::TextStyle& style = {});
std::string render_gate_md(const GateVerdict& v, const GateReportInfo& info);
std::string render_gate_json(const GateVerdict& v, const GateReportInfo& info);
std::string render_gate_junit(const GateVerdict& v, const GateReportInfo& info);
std::string render_gate_github(const GateVerdict& v, const GateReportInfo& info);

}  // namespace perfkit
