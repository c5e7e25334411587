// `perfkit report --format json` (the HTML report reads the same) and `--format csv`.
#include <fmt/format.h>

#include "reports/gpu_report.h"
#include "reports/report_render.h"
#include "reports/report_util.h"

namespace perfkit {

std::string render_report_json(const ReportFindings& f) {
  nlohmann::ordered_json j;
  j["input"] = {{"path", f.path}, {"format", f.format}};
  j["value_type"] = {{"type", f.type}, {"unit", f.unit}, {"scale", f.scale}};
  j["total"] = f.total;
  j["total_text"] = finding_value(f, f.total);
  j["duration_ns"] = f.duration_ns;
  j["functions"] = f.functions;
  j["headline"] = f.headline;
  auto sections = nlohmann::ordered_json::array();
  for (const auto& sec : f.sections) {
    nlohmann::ordered_json s;
    s["id"] = sec.id;
    s["title"] = sec.title;
    s["hint"] = sec.hint;
    auto items = nlohmann::ordered_json::array();
    for (const auto& it : sec.items) {
      nlohmann::ordered_json o;
      o["path"] = it.path;
      o["file"] = it.file;
      o["line"] = it.line;
      o["flat"] = it.flat;
      o["cum"] = it.cum;
      o["calls"] = it.calls >= 0 ? nlohmann::ordered_json(it.calls) : nlohmann::ordered_json();
      o["value"] = it.value;
      o["share"] = it.share;
      o["value_text"] = finding_value(f, it.value);
      o["why"] = it.why;
      items.push_back(std::move(o));
    }
    s["items"] = std::move(items);
    sections.push_back(std::move(s));
  }
  j["sections"] = std::move(sections);
  auto entries = nlohmann::ordered_json::array();  // left out as the program's entry
  for (const auto& e : f.entries)
    entries.push_back({{"path", e.path}, {"cum", e.cum}, {"self", e.flat}, {"share", e.share},
                       {"value_text", finding_value(f, e.cum)}});
  j["entries"] = std::move(entries);
  j["notes"] = f.notes;
  if (!f.gpu.devices.empty()) {
    j["gpu"] = gpu_json(f.gpu);
    j["gpu"]["findings"] = gpu_findings(f.gpu);
  }
  return dump_json(j);
}

std::string render_report_csv(const ReportFindings& f) {
  std::string out = "section,rank,path,value,flat,cum,calls,share,why\n";
  if (!f.headline.empty()) out += "headline,0,,,,,,," + csv_field(f.headline) + "\n";
  for (const auto& sec : f.sections) {
    int i = 0;
    for (const auto& it : sec.items) {
      std::string path;
      for (const auto& s : it.path) path += (path.empty() ? "" : ";") + s;
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", sec.id, ++i, csv_field(path), it.value,
                         it.flat, it.cum,
                         it.calls >= 0 ? std::to_string(it.calls) : "", csv_number(it.share),
                         csv_field(it.why));
    }
  }
  int i = 0;
  for (size_t d = 0; d < f.gpu.devices.size(); ++d)
    out += fmt::format(
        "gpu,{},{},{},,,,{},{}\n", ++i, csv_field(f.gpu.devices[d].name), f.gpu.devices[d].idle_ns,
        csv_number(f.gpu.devices[d].last_ns > f.gpu.devices[d].first_ns
                       ? double(f.gpu.devices[d].idle_ns) /
                             double(f.gpu.devices[d].last_ns - f.gpu.devices[d].first_ns)
                       : 0),
        csv_field(gpu_findings(f.gpu)[d]));
  return out;
}

}  // namespace perfkit
