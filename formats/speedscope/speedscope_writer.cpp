#include "formats/speedscope/speedscope_writer.h"

#include <fmt/format.h>

#include "lib/aggregate.h"
#include "reports/escape.h"

namespace perfkit {

namespace {

bool power_of_ten(int64_t s) {
  while (s > 1 && s % 10 == 0) s /= 10;
  return s == 1;
}

// A stored value as a JSON number in the unit: integers for scale 1, else an exact decimal.
void append_number(std::string& out, int64_t v, int64_t scale) {
  if (scale == 1) {
    out += fmt::format("{}", v);
    return;
  }
  if (!power_of_ten(scale)) {
    out += fmt::format("{:.9g}", double(v) / double(scale));
    return;
  }
  int64_t whole = v / scale, rest = v % scale;
  if (rest < 0) rest = -rest;
  if (v < 0 && whole == 0) out += '-';
  out += fmt::format("{}", whole);
  if (rest == 0) return;
  int digits = 0;
  for (int64_t s = scale; s > 1; s /= 10) ++digits;
  std::string frac = fmt::format("{:0{}}", rest, digits);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  out += '.' + frac;
}

}  // namespace

std::string_view speedscope_unit(std::string_view unit) {
  if (unit == "nanoseconds" || unit == "ns") return "nanoseconds";
  if (unit == "microseconds" || unit == "us") return "microseconds";
  if (unit == "milliseconds" || unit == "ms") return "milliseconds";
  if (unit == "seconds" || unit == "s") return "seconds";
  if (unit == "bytes" || unit == "B") return "bytes";
  return "none";
}

std::string write_speedscope(const Profile& p, const std::vector<int>& value_indexes, std::string* note) {
  check_written_stack_frames(p, "speedscope", false);
  std::vector<int> columns = value_indexes;
  if (columns.empty())
    for (size_t i = 0; i < p.value_types.size(); ++i) columns.push_back(static_cast<int>(i));
  std::string out;
  out += "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",";
  out += fmt::format("\"exporter\":\"perfkit {}\",\"name\":", PERFKIT_VERSION);
  append_json_string(out, std::string_view(p.path).substr(p.path.rfind('/') + 1));
  out += ",\"activeProfileIndex\":0,\"shared\":{\"frames\":[";
  for (size_t i = 0; i < p.frames().size(); ++i) {
    const Frame& f = p.frames()[i];
    out += i ? ",\n{\"name\":" : "\n{\"name\":";
    std::string_view name = p.str(f.function);
    append_json_string(out, name.empty() ? std::string_view("[unknown]") : name);
    if (f.file) {
      out += ",\"file\":";
      append_json_string(out, p.str(f.file));
    }
    if (f.line) out += fmt::format(",\"line\":{}", f.line);
    out += '}';
  }
  out += "]},\"profiles\":[";
  bool dropped_negative = false, inexact = false;
  for (size_t c = 0; c < columns.size(); ++c) {
    int vi = columns[c];
    const ValueType& vt = p.value_types[vi];
    std::vector<int64_t> w = stack_weights(p, vi, {});
    int64_t total = 0;
    for (size_t s = 1; s < w.size(); ++s) {
      if (w[s] < 0) dropped_negative = true;
      else total += w[s];
    }
    if (!power_of_ten(vt.scale)) inexact = true;
    std::string_view unit = p.str(vt.unit);
    out += c ? ",\n{\"type\":\"sampled\",\"name\":" : "\n{\"type\":\"sampled\",\"name\":";
    append_json_string(out, p.str(vt.type));
    out += fmt::format(",\"unit\":\"{}\",\"startValue\":0,\"endValue\":", speedscope_unit(unit));
    append_number(out, total, vt.scale);
    std::string weights;
    out += ",\"samples\":[";
    bool first = true;
    for (size_t s = 1; s < w.size(); ++s) {
      if (w[s] <= 0) continue;
      out += first ? "\n[" : ",\n[";
      weights += first ? "" : ",";
      first = false;
      std::vector<FrameId> frames = p.stack_frames(static_cast<StackId>(s));
      for (size_t k = 0; k < frames.size(); ++k) {
        if (k) out += ',';
        out += fmt::format("{}", frames[k]);
      }
      out += ']';
      append_number(weights, w[s], vt.scale);
    }
    out += "],\"weights\":[" + weights + "]}";
  }
  out += "]}\n";
  if (note) {
    std::vector<std::string> lost;
    if (!p.labels().empty()) lost.push_back("sample labels");
    for (const Frame& f : p.frames())
      if (f.inlined) {
        lost.push_back("inlined-frame marks");
        break;
      }
    if (!p.spans.empty()) lost.push_back("span timestamps (stacks keep self time only)");
    if (!p.rows.empty()) lost.push_back("call counts");
    if (dropped_negative) lost.push_back("stacks with negative weights");
    if (inexact) lost.push_back("exact fractional values");
    for (size_t i = 0; i < lost.size(); ++i) *note += (i ? ", " : "not kept: ") + lost[i];
  }
  return out;
}

}  // namespace perfkit
