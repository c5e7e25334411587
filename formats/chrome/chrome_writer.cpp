#include "formats/chrome/chrome_writer.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "lib/flame.h"
#include "lib/units.h"
#include "reports/escape.h"

namespace perfkit {

namespace {

void add_note(std::string* note, const std::string& what) {
  if (!note) return;
  if (!note->empty()) *note += "; ";
  *note += what;
}

void begin_trace(std::string& out) { out += "{\"traceEvents\":[\n"; }

void end_trace(std::string& out, const char* unit) {
  if (out.size() >= 2 && out[out.size() - 2] == ',') out.erase(out.size() - 2, 1);
  out += fmt::format("],\"displayTimeUnit\":\"{}\",\"otherData\":{{\"exporter\":\"perfkit {}\"}}}}\n",
                     unit, PERFKIT_VERSION);
}

void meta_event(std::string& out, const char* what, int64_t pid, int64_t tid, std::string_view name) {
  out += fmt::format("{{\"ph\":\"M\",\"name\":\"{}\",\"pid\":{},\"tid\":{},\"args\":{{\"name\":", what,
                     pid, tid);
  append_json_string(out, name);
  out += "}},\n";
}

void sort_event(std::string& out, const char* what, int64_t pid, int64_t tid, int64_t index) {
  out += fmt::format(
      "{{\"ph\":\"M\",\"name\":\"{}\",\"pid\":{},\"tid\":{},\"args\":{{\"sort_index\":{}}}}},\n", what,
      pid, tid, index);
}

// One event's common head: {"ph":"X","name":...,"cat":...,"pid":..,"tid":..,"ts":..
void event_head(std::string& out, char ph, std::string_view name, std::string_view cat, int64_t pid,
                int64_t tid, int64_t ts_ns) {
  out += "{\"ph\":\"";
  out += ph;
  out += "\",\"name\":";
  append_json_string(out, name);
  if (!cat.empty()) {
    out += ",\"cat\":";
    append_json_string(out, cat);
  }
  out += fmt::format(",\"pid\":{},\"tid\":{},\"ts\":", pid, tid);
  append_us(out, ts_ns);
}

}  // namespace

void append_us(std::string& out, int64_t ns) {
  uint64_t mag = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  if (ns < 0) out += '-';
  out += fmt::format("{}", mag / 1000);
  if (mag % 1000) {
    std::string frac = fmt::format("{:03}", mag % 1000);
    while (frac.back() == '0') frac.pop_back();
    out += '.';
    out += frac;
  }
}

std::string write_chrome_trace(const Profile& p, std::string* note) {
  std::string out;
  out.reserve(p.spans.size() * 120 + 1024);
  begin_trace(out);
  for (const auto& [pid, name] : p.process_names) meta_event(out, "process_name", pid, 0, name);
  for (const auto& [pid, idx] : p.process_sort_index) sort_event(out, "process_sort_index", pid, 0, idx);
  for (const auto& [key, name] : p.thread_names) meta_event(out, "thread_name", key.pid, key.tid, name);
  for (const auto& [key, idx] : p.thread_sort_index)
    sort_event(out, "thread_sort_index", key.pid, key.tid, idx);
  std::vector<uint32_t> order(p.spans.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Span &x = p.spans[a], &y = p.spans[b];
    if (x.start_ns != y.start_ns) return x.start_ns < y.start_ns;
    return x.depth < y.depth;
  });
  int64_t unclosed = 0, async_id = 0;
  for (uint32_t i : order) {
    const Span& s = p.spans[i];
    std::string_view name = p.str(s.name), cat = p.str(s.cat);
    switch (s.kind) {
      case SpanKind::kComplete:
        event_head(out, 'X', name, cat, s.pid, s.tid, s.start_ns);
        out += ",\"dur\":";
        append_us(out, s.dur_ns);
        out += "},\n";
        unclosed += s.unclosed;
        break;
      case SpanKind::kInstant:
        event_head(out, 'i', name, cat, s.pid, s.tid, s.start_ns);
        out += ",\"s\":\"t\"},\n";
        break;
      case SpanKind::kAsync:
        ++async_id;
        event_head(out, 'b', name, cat.empty() ? "async" : cat, s.pid, s.tid, s.start_ns);
        out += fmt::format(",\"id\":\"0x{:x}\"}},\n", async_id);
        event_head(out, 'e', name, cat.empty() ? "async" : cat, s.pid, s.tid, s.start_ns + s.dur_ns);
        out += fmt::format(",\"id\":\"0x{:x}\"}},\n", async_id);
        break;
    }
  }
  end_trace(out, p.display_time_unit.empty() ? "ms" : p.display_time_unit.c_str());
  int64_t dropped = 0;
  for (const auto& [ph, n] : p.events_by_phase)
    if (ph != "X" && ph != "B" && ph != "E" && ph != "i" && ph != "I" && ph != "b" && ph != "e" &&
        ph != "M")
      dropped += n;
  if (dropped) add_note(note, fmt::format("{} counter/flow/other events are not kept", dropped));
  add_note(note, "event args are not kept; B/E pairs are written as X events");
  if (p.find_value_type("cpu") >= 0)
    add_note(note, "V8 CPU profile samples (Profile/ProfileChunk) are not kept");
  else if (p.find_value_type("samples") >= 0)
    add_note(note, "sampled stacks (stackFrames/samples) are not kept");
  if (unclosed) add_note(note, fmt::format("{} unclosed spans written closed at their thread's end", unclosed));
  return out;
}

std::string write_chrome_flame_chart(const Profile& p, int value_index, std::string* note) {
  int vi = value_index >= 0 ? value_index : p.default_value_index();
  FlameTree t = build_flame_tree(p, FlameOptions{vi, {}});
  std::vector<int64_t> off = flame_offsets(t);
  bool time = units::dimension_of(t.unit) == units::Dimension::kTime && t.scale == 1;
  // ns per stored unit: exact for nanoseconds; other units are drawn as 1 unit = 1 us.
  int64_t ns_per = 1000;
  if (time) {
    units::Scaled one = units::pprof_scale(1000000000, t.unit, "ns");
    ns_per = std::max<int64_t>(1, static_cast<int64_t>(one.value / 1e9 + 0.5));
  }
  std::string out;
  out.reserve(t.nodes.size() * 110 + 1024);
  begin_trace(out);
  meta_event(out, "process_name", 1, 0, fmt::format("{} ({}/{} flame chart)", std::string_view(p.path).substr(p.path.rfind('/') + 1), t.type, t.unit));
  meta_event(out, "thread_name", 1, 1, "stacks");
  std::vector<uint32_t> order;
  for (uint32_t i = 1; i < t.nodes.size(); ++i)
    if (t.nodes[i].value > 0) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (off[a] != off[b]) return off[a] < off[b];
    return t.nodes[a].depth < t.nodes[b].depth;
  });
  for (uint32_t i : order) {
    const FlameNode& n = t.nodes[i];
    event_head(out, 'X', t.names[n.name], "", 1, 1, off[i] * ns_per);
    out += ",\"dur\":";
    append_us(out, n.value * ns_per);
    out += fmt::format(",\"args\":{{\"value\":{},\"self\":{}}}}},\n", n.value, n.self);
  }
  end_trace(out, "ms");
  add_note(note, "a flame chart: stacks laid out by weight, not by time (no timestamps in the input)");
  if (!time)
    add_note(note, fmt::format("{}/{} values are drawn as 1 {} = 1 microsecond", t.type, t.unit,
                               t.unit.empty() ? "unit" : t.unit));
  if (t.dropped_negative) add_note(note, fmt::format("{} negative stacks left out", t.dropped_negative));
  if (!p.labels().empty()) add_note(note, "sample labels are not kept");
  return out;
}

std::string write_chrome(const Profile& p, int value_index, std::string* note) {
  if (!p.spans.empty()) return write_chrome_trace(p, note);
  return write_chrome_flame_chart(p, value_index, note);
}

}  // namespace perfkit
