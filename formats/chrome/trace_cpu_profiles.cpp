#include "formats/chrome/trace_cpu_profiles.h"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <memory>

#include "formats/v8/v8_cpu_profile.h"

namespace perfkit::chrome {
namespace {

namespace ondemand = simdjson::ondemand;

struct Key {
  int64_t pid;
  bool has_id;
  int64_t id_or_tid;  // the id's string id, or the tid
  auto operator<=>(const Key&) const = default;
};

struct Open {
  std::unique_ptr<v8::CpuProfileParts> parts;
  int64_t pid = 0, tid = 0;
  StrId id = 0;  // 0: the event had none
};

// args.data of an event, handed to the profile's parts.
simdjson::error_code read_data(ondemand::parser& parser, const std::string& args,
                               v8::CpuProfileParts& parts) {
  ondemand::document doc;
  if (auto e =
          parser.iterate(simdjson::padded_string_view(args.data(), args.size(), args.capacity()))
              .get(doc))
    return e;
  ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return e;
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return e;
    if (key != "data") continue;
    ondemand::object data;
    if (f.value().get_object().get(data)) return simdjson::SUCCESS;  // null data: nothing
    const char* at = nullptr;
    return parts.add_members(data, at);
  }
  return simdjson::SUCCESS;
}

}  // namespace

void TraceCpuProfiles::add(const ChromeEvent& ev, std::string_view name) {
  Kind kind;
  if (name == "ProfileChunk")
    kind = Kind::kChunk;
  else if (name == "Profile")
    kind = Kind::kProfile;
  else if (name == "CpuProfile")
    kind = Kind::kWhole;
  else
    return;
  // Events without a usable ts keep their place after the last one that had one.
  if (ev.has_ts && ev.ts_status == DecimalStatus::kOk) last_ts_ns_ = ev.ts_ns;
  Event e{kind, ev.pid, ev.tid, ev.id, ev.id != 0, last_ts_ns_, {}};
  e.args.reserve(ev.args_raw.size() + simdjson::SIMDJSON_PADDING);
  e.args.assign(ev.args_raw);
  events_.push_back(std::move(e));
}

V8Samples TraceCpuProfiles::build(Profile& p) {
  V8Samples out;
  if (events_.empty()) return out;
  std::stable_sort(events_.begin(), events_.end(),
                   [](const Event& a, const Event& b) { return a.ts_ns < b.ts_ns; });
  const StrId pid_key = p.strings.intern("pid"), tid_key = p.strings.intern("tid");
  const StrId profile_key = p.strings.intern("profile");
  ondemand::parser parser;
  std::map<Key, size_t> open_of;  // -> index into profiles
  std::vector<Open> profiles;
  int64_t orphan_chunks = 0, unreadable = 0;
  for (const Event& ev : events_) {
    const Key key{ev.pid, ev.has_id, ev.has_id ? int64_t{ev.id} : ev.tid};
    v8::CpuProfileParts* parts = nullptr;
    if (ev.kind == Kind::kChunk) {
      auto it = open_of.find(key);
      if (it == open_of.end()) {
        ++orphan_chunks;
        continue;
      }
      parts = profiles[it->second].parts.get();
    } else {
      // A new profile; a later Profile with the same key starts another one.
      profiles.push_back(Open{std::make_unique<v8::CpuProfileParts>(p), ev.pid, ev.tid, ev.id});
      parts = profiles.back().parts.get();
      if (ev.kind == Kind::kProfile) open_of[key] = profiles.size() - 1;
    }
    if (read_data(parser, ev.args, *parts) != simdjson::SUCCESS) ++unreadable;
  }
  for (Open& o : profiles) {
    if (o.parts->empty()) continue;
    ++out.profiles;
    const auto label_begin = static_cast<uint32_t>(out.labels.size());
    out.labels.push_back(Label{pid_key, 0, o.pid, 0});
    out.labels.push_back(Label{tid_key, 0, o.tid, 0});
    if (o.id) out.labels.push_back(Label{profile_key, o.id, 0, 0});
    const auto label_count = static_cast<uint32_t>(out.labels.size()) - label_begin;
    for (const auto& r : o.parts->finish())
      out.rows.push_back(V8Samples::Row{r.stack, label_begin, label_count, r.count, r.time_ns});
    if (o.parts->has_times()) {
      out.first_ns = std::min(out.first_ns, o.parts->start_ns());
      out.last_ns = std::max(out.last_ns, o.parts->end_ns());
    }
  }
  if (orphan_chunks)
    p.warn("ProfileChunk events without a Profile event before them skipped", orphan_chunks);
  if (unreadable)
    p.warn("Profile/ProfileChunk events whose args.data is not a CPU profile's: the rest skipped",
           unreadable);
  events_.clear();
  return out;
}

void add_v8_samples(Profile& p, const V8Samples& s) {
  const int count_col = p.find_value_type("samples");
  const int cpu_col = p.find_value_type("cpu");
  if (s.rows.empty() || count_col < 0 || cpu_col < 0) return;
  std::vector<int64_t> values(p.value_types.size(), 0);
  for (const V8Samples::Row& r : s.rows) {
    values[count_col] = r.count;
    values[cpu_col] = r.time_ns;
    p.add_sample(r.stack, values.data(), s.labels.data() + r.label_begin, r.label_count);
  }
  if (s.first_ns <= s.last_ns) {
    int64_t first = s.first_ns, last = s.last_ns;
    for (const Span& sp : p.spans) {
      if (sp.summary) continue;
      first = std::min(first, sp.start_ns);
      last = std::max(last, sp.start_ns + sp.dur_ns);
    }
    p.meta.duration_ns = std::max(p.meta.duration_ns, last - first);
  }
}

}  // namespace perfkit::chrome
