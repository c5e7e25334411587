#include "formats/chrome/chrome_stack_samples.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "formats/chrome/chrome_event.h"
#include "lib/decimal_time.h"
#include "lib/edge_index.h"
#include "lib/errors.h"
#include "lib/string_table.h"

namespace perfkit::chrome {
namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

static_assert(kInputPadding >= simdjson::SIMDJSON_PADDING, "members are parsed in place");

constexpr uint32_t kNone = UINT32_MAX;
constexpr int64_t kMicro = 1'000'000;  // weights are read with 6 decimals, exactly

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

enum class IdKind : uint8_t { kId, kNull, kOther };

// A frame id ("sf", "parent"): a string's contents or a number's literal text.
error_code read_id(ondemand::value& v, std::string_view& out, IdKind& kind) {
  kind = IdKind::kOther;
  ondemand::json_type type;
  if (auto e = v.type().get(type)) return e;
  if (type == ondemand::json_type::null) kind = IdKind::kNull;
  if (type == ondemand::json_type::string) {
    kind = IdKind::kId;
    return v.get_string().get(out);
  }
  if (type == ondemand::json_type::number) {
    kind = IdKind::kId;
    out = trim(v.raw_json_token());
  }
  return simdjson::SUCCESS;
}

// pid/tid of a sample as a pprof label: numeric when the trace wrote an integer, else a string.
error_code read_label(ondemand::value& v, StrId key, StringTable& strings, Label& out, bool& has) {
  ondemand::json_type type;
  if (auto e = v.type().get(type)) return e;
  if (type == ondemand::json_type::number) {
    has = parse_decimal_scaled(trim(v.raw_json_token()), 0, out.num) == DecimalStatus::kOk;
  } else if (type == ondemand::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    has = !s.empty();
    out.str = strings.intern(s);
  }
  out.key = key;
  return simdjson::SUCCESS;
}

enum class FrameState : uint8_t { kUnresolved, kOnPath, kDone };

struct RawFrame {
  StrId name = 0;           // in the profile's strings
  uint32_t parent = kNone;  // the parent's id (in SampledReader::ids_), kNone for a root
  StackId stack = kEmptyStack;
  FrameState state = FrameState::kUnresolved;
};

// A sample's labels. Samples are summed per (stack, label set).
struct LabelKey {
  Label pid, tid;
  StrId event = 0;
  bool has_pid = false, has_tid = false;
  bool operator==(const LabelKey& o) const {
    return has_pid == o.has_pid && has_tid == o.has_tid && event == o.event &&
           pid.num == o.pid.num && pid.str == o.pid.str && tid.num == o.tid.num &&
           tid.str == o.tid.str;
  }
};

struct LabelKeyHash {
  size_t operator()(const LabelKey& k) const noexcept {
    uint64_t h = 0;
    for (uint64_t x : {static_cast<uint64_t>(k.pid.num), uint64_t{k.pid.str},
                       static_cast<uint64_t>(k.tid.num), uint64_t{k.tid.str}, uint64_t{k.event}})
      h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h ^ (h >> 31));
  }
};

struct Cached {
  std::string raw;  // a value's raw JSON text
  StrId id = 0;
};

class SampledReader {
 public:
  SampledReader(const InputBuffer& in, Profile& p)
      : in_(in), p_(p), pid_key_(p.strings.intern("pid")), tid_key_(p.strings.intern("tid")),
        event_key_(p.strings.intern("event")) {}
  void read_frames(std::string_view text);
  void read_samples(std::string_view text, SampledStacks& out);
  void finish(SampledStacks& out);

 private:
  struct Fields {  // one sample's fields
    uint32_t frame = kNone;
    bool has_sf = false, has_weight = false, weight_ok = false, has_ts = false;
    int64_t weight_micro = kMicro;
    std::string_view ts_raw;
    LabelKey key;
  };
  ondemand::document iterate(std::string_view text, const char* what);
  error_code read_frame(ondemand::value& v, std::string_view id);
  const char* where(ondemand::document& doc, const char* fallback);
  uint32_t frame_of(std::string_view id) const;
  error_code read_sample_fields(ondemand::object obj, Fields& f);
  void add_sample(const Fields& f, SampledStacks& out);
  uint32_t id_of(std::string_view id);
  StackId resolve(uint32_t frame);
  [[noreturn]] void fail(const char* at, const std::string& msg) {
    throw InputError::at_byte(in_.path, static_cast<uint64_t>(at - in_.data()), msg);
  }

  const InputBuffer& in_;
  Profile& p_;
  const StrId pid_key_, tid_key_, event_key_;  // label keys
  ondemand::parser parser_;
  StringTable ids_;                    // frame ids as written
  std::vector<uint32_t> frame_by_id_;  // ids_ id -> index into frames_, kNone if never defined
  std::vector<RawFrame> frames_;
  std::vector<uint32_t> path_;
  uint32_t label_set(const LabelKey& key, SampledStacks& out);

  std::unordered_map<LabelKey, uint32_t, LabelKeyHash> label_sets_;  // -> index into set_labels_
  std::vector<std::pair<uint32_t, uint32_t>> set_labels_;  // (begin, count) in out.labels
  LabelKey last_key_;
  uint32_t last_set_ = kNone;
  EdgeIndex row_of_;  // (stack, label set) -> row + 1
  Cached last_event_;
  std::vector<__int128> weights_;  // per row, in millionths
  bool fractional_ = false;
  // counts for warnings
  int64_t non_object_frames_ = 0, unnamed_frames_ = 0, bad_parents_ = 0, duplicate_ids_ = 0,
          missing_parents_ = 0, cycles_ = 0, non_object_samples_ = 0, no_sf_ = 0,
          unknown_sf_ = 0, bad_ts_ = 0, bad_weights_ = 0;
};

ondemand::document SampledReader::iterate(std::string_view text, const char* what) {
  const size_t offset = static_cast<size_t>(text.data() - in_.data());
  ondemand::document doc;
  if (auto e = parser_.iterate(text.data(), text.size(), in_.capacity() - offset).get(doc))
    fail(text.data(), fmt::format("{}: {}", what, simdjson::error_message(e)));
  return doc;
}

// Where an error is: the parser's position if it knows it, else the start of the member.
const char* SampledReader::where(ondemand::document& doc, const char* fallback) {
  const char* at = nullptr;
  if (doc.current_location().get(at) != simdjson::SUCCESS || at < in_.data() ||
      at > in_.data() + in_.size())
    return fallback;
  return at;
}

uint32_t SampledReader::frame_of(std::string_view id) const {
  const int64_t found = ids_.find(id);
  return found < 0 || static_cast<size_t>(found) >= frame_by_id_.size()
             ? kNone
             : frame_by_id_[static_cast<size_t>(found)];
}

uint32_t SampledReader::id_of(std::string_view id) {
  StrId s = ids_.intern(id);
  if (s >= frame_by_id_.size()) frame_by_id_.resize(s + 1, kNone);
  return s;
}

void SampledReader::read_frames(std::string_view text) {
  ondemand::document doc = iterate(text, "stackFrames");
  ondemand::object obj;
  if (doc.get_object().get(obj)) fail(text.data(), "stackFrames is not an object");
  for (auto fr : obj) {
    ondemand::field field;
    std::string_view key;
    const char* at = nullptr;
    error_code e = std::move(fr).get(field);
    if (!e) e = field.unescaped_key().get(key);
    if (!e) at = field.value().raw_json_token().data();
    if (!e) e = read_frame(field.value(), key);
    if (e)
      fail(at ? at : where(doc, text.data()),
           fmt::format("stackFrames: bad frame: {}", simdjson::error_message(e)));
  }
}

error_code SampledReader::read_frame(ondemand::value& v, std::string_view id_text) {
  std::string id(id_text);  // the key's view does not outlive the value's strings
  ondemand::json_type type;
  if (auto e = v.type().get(type)) return e;
  if (type != ondemand::json_type::object) {
    ++non_object_frames_;
    return simdjson::SUCCESS;
  }
  ondemand::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  RawFrame frame;
  bool named = false;
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    std::string_view k;
    if (auto e = f.unescaped_key().get(k)) return e;
    if (k == "name") {
      std::string_view name;
      if (f.value().get_string().get(name) == simdjson::SUCCESS) {
        frame.name = p_.strings.intern(name);
        named = true;
      }
    } else if (k == "parent") {
      std::string_view parent;
      IdKind kind;
      if (auto e = read_id(f.value(), parent, kind)) return e;
      if (kind == IdKind::kId) frame.parent = id_of(parent);
      else if (kind == IdKind::kOther) ++bad_parents_;
    }
  }
  if (!named) {
    ++unnamed_frames_;
    frame.name = p_.strings.intern(fmt::format("[frame {}]", id));
  }
  const uint32_t key = id_of(id);
  if (frame_by_id_[key] != kNone) {
    ++duplicate_ids_;
    frames_[frame_by_id_[key]] = frame;
  } else {
    frame_by_id_[key] = static_cast<uint32_t>(frames_.size());
    frames_.push_back(frame);
  }
  return simdjson::SUCCESS;
}

// The stack of a frame: its parents walked up to a resolved frame or a root, then the trie nodes
// made root first. A parent naming no frame ends the walk there; a parent already on the walk
// (a loop) too.
StackId SampledReader::resolve(uint32_t frame) {
  if (frames_[frame].state == FrameState::kDone) return frames_[frame].stack;
  path_.clear();
  StackId base = kEmptyStack;
  for (uint32_t cur = frame;;) {
    RawFrame& f = frames_[cur];
    if (f.state == FrameState::kDone) {
      base = f.stack;
      break;
    }
    if (f.state == FrameState::kOnPath) {
      ++cycles_;
      break;
    }
    f.state = FrameState::kOnPath;
    path_.push_back(cur);
    if (f.parent == kNone) break;
    const uint32_t up = frame_by_id_[f.parent];
    if (up == kNone) {
      ++missing_parents_;
      break;
    }
    cur = up;
  }
  for (size_t i = path_.size(); i-- > 0;) {
    RawFrame& f = frames_[path_[i]];
    base = p_.child(base, p_.intern_frame(Frame{f.name, 0, 0, false}));
    f.stack = base;
    f.state = FrameState::kDone;
  }
  return frames_[frame].stack;
}

error_code SampledReader::read_sample_fields(ondemand::object obj, Fields& f) {
  for (auto fr : obj) {
    ondemand::field field;
    if (auto e = std::move(fr).get(field)) return e;
    std::string_view k;
    if (auto e = field.unescaped_key().get(k)) return e;
    ondemand::value& v = field.value();
    error_code e = simdjson::SUCCESS;
    if (k == "sf") {
      std::string_view sf;
      IdKind kind;
      e = read_id(v, sf, kind);
      f.has_sf = kind == IdKind::kId;
      if (f.has_sf) f.frame = frame_of(sf);
    } else if (k == "weight") {
      f.has_weight = true;
      ondemand::json_type type;
      if (!(e = v.type().get(type)) && type == ondemand::json_type::number)
        f.weight_ok = parse_decimal_scaled(trim(v.raw_json_token()), 6, f.weight_micro) ==
                      DecimalStatus::kOk;
    } else if (k == "ts") {
      f.has_ts = true;
      f.ts_raw = v.raw_json_token();
    } else if (k == "pid") {
      e = read_label(v, pid_key_, p_.strings, f.key.pid, f.key.has_pid);
    } else if (k == "tid") {
      e = read_label(v, tid_key_, p_.strings, f.key.tid, f.key.has_tid);
    } else if (k == "name") {
      // Usually the same name as the last sample's ("cycles"): compare the raw text first.
      std::string_view raw = v.raw_json_token();
      if (!last_event_.raw.empty() && raw == last_event_.raw) {
        f.key.event = last_event_.id;
      } else {
        std::string_view name;
        if (v.get_string().get(name) == simdjson::SUCCESS) {
          f.key.event = p_.strings.intern(name);
          last_event_ = Cached{std::string(raw), f.key.event};
        }
      }
    }
    if (e) return e;
  }
  return simdjson::SUCCESS;
}

void SampledReader::read_samples(std::string_view text, SampledStacks& out) {
  ondemand::document doc = iterate(text, "samples");
  ondemand::array arr;
  if (doc.get_array().get(arr)) fail(text.data(), "samples is not an array");
  for (auto element : arr) {
    const char* at = nullptr;
    ondemand::value v;
    ondemand::json_type type;
    error_code e = std::move(element).get(v);
    if (!e) at = v.raw_json_token().data();
    if (!e) e = v.type().get(type);
    if (!e && type != ondemand::json_type::object) {
      ++non_object_samples_;
      continue;
    }
    ondemand::object obj;
    Fields f;
    if (!e) e = v.get_object().get(obj);
    if (!e) e = read_sample_fields(obj, f);
    if (e)
      fail(at ? at : where(doc, text.data()),
           fmt::format("samples: bad sample: {}", simdjson::error_message(e)));
    add_sample(f, out);
  }
}

void SampledReader::add_sample(const Fields& f, SampledStacks& out) {
  if (!f.has_sf) {
    ++no_sf_;
    return;
  }
  if (f.frame == kNone) {
    ++unknown_sf_;
    return;
  }
  int64_t ts = 0;
  if (f.has_ts && parse_micros(f.ts_raw, ts) == DecimalStatus::kOk) {
    out.first_ns = std::min(out.first_ns, ts);
    out.last_ns = std::max(out.last_ns, ts);
  } else {
    ++bad_ts_;
  }
  const StackId stack = resolve(f.frame);
  const uint32_t set = label_set(f.key, out);
  const auto next = static_cast<uint32_t>(out.rows.size());
  const uint32_t row = row_of_.find_or_insert(stack, set, next + 1) - 1;
  if (row == next) {
    out.rows.push_back(SampledStack{stack, set_labels_[set].first, set_labels_[set].second, 0, 0});
    weights_.push_back(0);
  }
  int64_t w = kMicro;
  if (f.has_weight) {
    out.has_weight = true;
    if (f.weight_ok) w = f.weight_micro;
    else ++bad_weights_;
  }
  fractional_ = fractional_ || w % kMicro != 0;
  ++out.rows[row].count;
  weights_[row] += w;
}

// The id of a sample's label set (the last one is checked first: samples come in runs).
uint32_t SampledReader::label_set(const LabelKey& key, SampledStacks& out) {
  if (last_set_ != kNone && key == last_key_) return last_set_;
  auto [it, inserted] = label_sets_.try_emplace(key, static_cast<uint32_t>(set_labels_.size()));
  if (inserted) {
    const auto begin = static_cast<uint32_t>(out.labels.size());
    if (key.has_pid) out.labels.push_back(key.pid);
    if (key.has_tid) out.labels.push_back(key.tid);
    if (key.event) out.labels.push_back(Label{event_key_, key.event, 0, 0});
    set_labels_.emplace_back(begin, static_cast<uint32_t>(out.labels.size()) - begin);
  }
  last_key_ = key;
  last_set_ = it->second;
  return last_set_;
}

void SampledReader::finish(SampledStacks& out) {
  out.weight_scale = fractional_ ? kMicro : 1;
  for (size_t i = 0; i < out.rows.size(); ++i) {
    __int128 w = fractional_ ? weights_[i] : weights_[i] / kMicro;
    if (w > INT64_MAX || w < INT64_MIN)
      throw InputError::in_file(in_.path, "samples: the summed weight of one stack passes int64");
    out.rows[i].weight = static_cast<int64_t>(w);
  }
  auto warn = [&](int64_t n, const char* what) {
    if (n) p_.warn(what, n);
  };
  warn(non_object_frames_, "stackFrames entries that are not objects skipped");
  warn(unnamed_frames_, "stack frames without a string name: named [frame ID]");
  warn(bad_parents_, "stack frames whose parent is not a string or number: made roots");
  warn(duplicate_ids_, "stack frame ids given twice: the last kept");
  warn(missing_parents_, "stack frames whose parent names no frame: made roots");
  warn(cycles_, "loops in stack frame parents: cut where the loop closes");
  warn(non_object_samples_, "samples that are not objects skipped");
  warn(no_sf_, "samples without an sf (stack frame id) skipped");
  warn(unknown_sf_, "samples whose sf names no stack frame skipped");
  warn(bad_ts_, "samples with a missing or unreadable ts: kept, not placed in time");
  warn(bad_weights_, "samples with a weight that is not a number: counted as weight 1");
}

}  // namespace

std::vector<ValueType> SampledStacks::value_types(Profile& p) const {
  std::vector<ValueType> out;
  if (rows.empty()) return out;
  const StrId count = p.strings.intern("count");
  out.push_back(ValueType{p.strings.intern("samples"), count, 1});
  if (has_weight) out.push_back(ValueType{p.strings.intern("weight"), count, weight_scale});
  return out;
}

SampledStacks read_sampled_stacks(const InputBuffer& in, const SampledMembers& members, Profile& p) {
  SampledStacks out;
  if (members.stack_frames.empty() && members.samples.empty()) return out;
  SampledReader reader(in, p);
  if (!members.stack_frames.empty()) reader.read_frames(members.stack_frames);
  if (!members.samples.empty()) reader.read_samples(members.samples, out);
  reader.finish(out);
  return out;
}

void add_sampled_stacks(Profile& p, const SampledStacks& s) {
  const int count_col = p.find_value_type("samples");
  if (s.rows.empty() || count_col < 0) return;
  const int weight_col = s.has_weight ? p.find_value_type("weight") : -1;
  // Span time stays the default; without it the pprof rule (the last column) picks the samples.
  if (!p.samples().empty()) p.meta.default_sample_type = p.strings.intern("wall");
  std::vector<int64_t> values(p.value_types.size(), 0);
  for (const SampledStack& r : s.rows) {
    values[count_col] = r.count;
    if (weight_col >= 0) values[weight_col] = r.weight;
    p.add_sample(r.stack, values.data(), s.labels.data() + r.label_begin, r.label_count);
  }
  int64_t first = s.first_ns, last = s.last_ns;
  for (const Span& sp : p.spans) {
    if (sp.summary) continue;
    first = std::min(first, sp.start_ns);
    last = std::max(last, sp.start_ns + sp.dur_ns);
  }
  if (first <= last) p.meta.duration_ns = last - first;
}

}  // namespace perfkit::chrome
