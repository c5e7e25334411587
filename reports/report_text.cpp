// `perfkit report` as text for a terminal, and as Markdown for a PR comment.
#include <fmt/format.h>

#include "lib/units.h"
#include "reports/gpu_report.h"
#include "reports/report_render.h"
#include "reports/report_util.h"

namespace perfkit {

std::string abbreviate_path(const std::vector<std::string>& path, const char* arrow) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : arrow) + s; };
  if (path.size() <= 7) {
    for (const auto& s : path) add(s);
    return out;
  }
  add(path[0]);
  add(path[1]);
  add(fmt::format("…({} more)…", path.size() - 6));
  for (size_t i = path.size() - 4; i < path.size(); ++i) add(path[i]);
  return out;
}

std::string report_headline(const ReportFindings& f) {
  std::string s = fmt::format("{} ({}): {} total {}", f.path, f.format, f.type,
                              finding_value(f, f.total));
  if (f.duration_ns > 0) s += " over " + units::human_duration_ns(f.duration_ns);
  s += fmt::format(", {} functions", f.functions);
  return s;
}

std::string render_report_text(const ReportFindings& f) {
  std::string out = "Bottleneck report: " + report_headline(f) + "\n";
  if (!f.headline.empty()) out += "\n" + f.headline + "\n";
  int section_no = 0;
  for (const auto& sec : f.sections) {
    out += fmt::format("\n{}. {}\n   ({})\n", ++section_no, sec.title, sec.hint);
    if (sec.items.empty()) out += "   none\n";
    int i = 0;
    for (const auto& it : sec.items) {
      out += fmt::format("  {:>2}) {:>7} {:>6}  {}\n", ++i, finding_value(f, it.value),
                         units::human_percent(it.share * 100), abbreviate_path(it.path));
      out += "        why: " + it.why + "\n";
    }
  }
  if (!f.gpu.devices.empty()) {
    out += fmt::format(
        "\n{}. GPU activity\n   (per GPU: how idle it was, and what the CPU thread "
        "launching its next work was doing meanwhile; perfkit gpu has the detail)\n",
        ++section_no);
    for (const auto& s : gpu_findings(f.gpu)) out += "   - " + s + "\n";
  }
  if (!f.notes.empty()) {
    out += "\nNotes:\n";
    for (const auto& n : f.notes) out += "  - " + n + "\n";
  }
  return out;
}

std::string render_report_md(const ReportFindings& f) {
  std::string out = "### Bottleneck report\n\n" + md_cell(report_headline(f)) + "\n";
  if (!f.headline.empty()) out += "\n**" + md_cell(f.headline) + "**\n";
  for (const auto& sec : f.sections) {
    out += "\n#### " + md_cell(sec.title) + "\n\n_" + md_cell(sec.hint) + "_\n\n";
    if (sec.items.empty()) {
      out += "None.\n";
      continue;
    }
    out += "| # | value | share | where | why |\n|--:|--:|--:|:--|:--|\n";
    int i = 0;
    for (const auto& it : sec.items) {
      std::vector<std::string> coded;
      for (const auto& s : it.path) coded.push_back(md_code(s));
      out += fmt::format("| {} | {} | {} | {} | {} |\n", ++i, finding_value(f, it.value),
                         units::human_percent(it.share * 100), abbreviate_path(coded),
                         md_cell(it.why));
    }
  }
  if (!f.gpu.devices.empty()) {
    out += "\n#### GPU activity\n\n";
    for (const auto& s : gpu_findings(f.gpu)) out += "- " + md_cell(s) + "\n";
  }
  if (!f.notes.empty()) {
    out += "\n";
    for (const auto& n : f.notes) out += "> " + md_cell(n) + "\n";
  }
  return out;
}

}  // namespace perfkit
