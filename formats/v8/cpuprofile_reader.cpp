// V8 .cpuprofile files (`node --cpu-prof`, DevTools' JavaScript Profiler "Save"): one CPU profile
// object, read as sampled stacks with time weights (formats/v8/v8_cpu_profile.h says how).
#include <fmt/format.h>
#include <simdjson.h>

#include "formats/registry.h"
#include "formats/v8/v8_cpu_profile.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit {
namespace {

namespace ondemand = simdjson::ondemand;

static_assert(kInputPadding >= simdjson::SIMDJSON_PADDING, "the input is parsed in place");

size_t skip_space(std::string_view s, size_t i) {
  if (i == 0 && s.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  return i;
}

}  // namespace

Probe probe_cpuprofile(std::string_view content) {
  const size_t i = skip_space(content, 0);
  if (i >= content.size() || content[i] != '{') return Probe::kNo;
  std::string_view head = content.substr(i, 64 << 10);
  if (head.find("\"traceEvents\"") != std::string_view::npos) return Probe::kNo;
  auto has = [&](std::string_view key) { return head.find(key) != std::string_view::npos; };
  return has("\"nodes\"") && (has("\"callFrame\"") || has("\"timeDeltas\"")) ? Probe::kYes
                                                                             : Probe::kNo;
}

void read_cpuprofile(const InputBuffer& in, Profile& p, const ReadOptions&) {
  // Parsed as a whole (a DOM, or marshal's nested values): the step and its time, no position.
  if (in.progress) in.progress->phase("parsing", in.size(), /*counted=*/false);
  p.format = "cpuprofile";
  p.flavor = "v8";
  const char* at = in.data() + skip_space(in.view(), 0);
  auto fail = [&](simdjson::error_code e, ondemand::document* doc) {
    const char* where = at;
    if (doc && e != simdjson::INCORRECT_TYPE && doc->current_location().get(where)) where = at;
    if (where < in.data() || where > in.data() + in.size()) where = at;
    throw InputError::at_byte(in.path, static_cast<uint64_t>(where - in.data()),
                              fmt::format("V8 CPU profile: {}", e == simdjson::INCORRECT_TYPE
                                                                    ? "a member of the wrong type"
                                                                    : simdjson::error_message(e)));
  };
  ondemand::parser parser;
  ondemand::document doc;
  if (auto e = parser.iterate(in.data(), in.size(), in.capacity()).get(doc)) fail(e, nullptr);
  ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) fail(e, &doc);
  v8::CpuProfileParts parts(p);
  if (auto e = parts.add_members(obj, at)) fail(e, &doc);
  if (parts.empty()) throw InputError::in_file(in.path, "V8 CPU profile: no nodes and no samples");
  std::vector<v8::CpuProfileParts::Row> rows = parts.finish();
  p.value_types = v8::value_types(p);
  for (const auto& r : rows) {
    const int64_t values[2] = {r.count, r.time_ns};
    p.add_sample(r.stack, values);
  }
  if (parts.has_times() && parts.end_ns() >= parts.start_ns())
    p.meta.duration_ns = parts.end_ns() - parts.start_ns();
}

}  // namespace perfkit
