#include "reports/info_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "lib/units.h"

namespace perfkit {

namespace {

// The total in perfkit's one human style (lib/units): "8.5s", "3.22GiB", "1.23M".
std::string human_total(const ValueTypeTotal& v) {
  return units::human_value(v.total, v.unit, v.scale);
}

std::string dur_text(int64_t ns) { return units::human_duration_ns(ns); }

}  // namespace

std::string render_info_text(const std::vector<ProfileSummary>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    const ProfileSummary& s = items[i];
    if (i) out += "\n";
    out += fmt::format("{}\n", s.path);
    out += fmt::format("  format:      {}{}\n", s.format, s.flavor.empty() ? "" : " (" + s.flavor + ")");
    for (const auto& v : s.value_types) {
      std::string raw = v.scale == 1 ? fmt::format("{}", v.total)
                                     : fmt::format("{:.6f}", double(v.total) / double(v.scale));
      std::string human = human_total(v);  // left out when it says the same ("850")
      out += fmt::format("  value type:  {}/{}  total {}{}{}\n", v.type, v.unit, raw,
                         human == raw ? "" : " (" + human + ")",
                         v.type == s.default_value_type ? "  [default]" : "");
    }
    if (s.samples || s.stacks)
      out += fmt::format("  samples:     {}  distinct stacks: {}  max depth: {}\n", s.samples,
                         s.stacks, s.max_depth);
    if (s.functions) out += fmt::format("  functions:   {}  frames: {}\n", s.functions, s.frames);
    if (s.events) {
      out += fmt::format("  events:      {}  spans: {}  processes: {}  threads: {}\n", s.events,
                         s.spans, s.processes, s.threads);
      std::string phases;
      for (const auto& [ph, n] : s.events_by_phase) phases += fmt::format(" {} {}", ph, n);
      out += fmt::format("  by phase:   {}\n", phases);
    }
    if (s.rows) out += fmt::format("  table rows:  {}\n", s.rows);
    if (!s.clock_type.empty()) out += fmt::format("  clock type:  {}\n", s.clock_type);
    if (s.duration_ns) out += fmt::format("  duration:    {}\n", dur_text(s.duration_ns));
    if (s.last_ts_ns > s.first_ts_ns)
      out += fmt::format("  time span:   {} .. {} ns\n", s.first_ts_ns, s.last_ts_ns);
    for (const auto& c : s.comments) out += fmt::format("  comment:     {}\n", c);
    if (s.warnings.empty()) out += "  warnings:    none\n";
    for (const auto& w : s.warnings)
      out += fmt::format("  warning:     {}{}\n", w.what,
                         w.count > 1 ? fmt::format(" ({}x)", w.count) : std::string());
  }
  return out;
}

std::string render_info_json(const std::vector<ProfileSummary>& items) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const ProfileSummary& s : items) {
    nlohmann::ordered_json j;
    j["path"] = s.path;
    j["format"] = s.format;
    j["flavor"] = s.flavor;
    auto vts = nlohmann::ordered_json::array();
    for (const auto& v : s.value_types) {
      nlohmann::ordered_json vt{{"type", v.type}, {"unit", v.unit}};
      if (v.scale == 1) vt["total"] = v.total;
      else vt["total"] = static_cast<double>(v.total) / static_cast<double>(v.scale);
      vts.push_back(vt);
    }
    j["value_types"] = vts;
    j["default_value_type"] = s.default_value_type;
    j["samples"] = s.samples;
    j["stacks"] = s.stacks;
    j["max_depth"] = s.max_depth;
    j["functions"] = s.functions;
    j["frames"] = s.frames;
    j["events"] = s.events;
    j["spans"] = s.spans;
    j["events_by_phase"] = nlohmann::ordered_json::object();
    for (const auto& [ph, n] : s.events_by_phase) j["events_by_phase"][ph] = n;
    j["processes"] = s.processes;
    j["threads"] = s.threads;
    j["rows"] = s.rows;
    j["clock_type"] = s.clock_type;
    j["time_ns"] = s.time_ns;
    j["duration_ns"] = s.duration_ns;
    j["first_ts_ns"] = s.first_ts_ns;
    j["last_ts_ns"] = s.last_ts_ns;
    j["comments"] = s.comments;
    auto ws = nlohmann::ordered_json::array();
    for (const auto& w : s.warnings)
      ws.push_back({{"path", w.path}, {"message", w.what}, {"count", w.count}});
    j["warnings"] = ws;
    arr.push_back(j);
  }
  // One file: the object itself; several: an array, in the order given.
  const auto& root = items.size() == 1 ? arr[0] : arr;
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace perfkit
