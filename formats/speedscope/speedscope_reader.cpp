// speedscope's file format in: "sampled" profiles (stacks + weights) and "evented" ones (open and
// close events; the time between events goes to the open stack). A file perfkit wrote has one
// profile per value type and reads back as those columns; any other file gets one column per
// unit, and with several profiles (threads) each stack is rooted at its profile's name.
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kSchema = "https://www.speedscope.app/file-format-schema.json";

[[noreturn]] void bad(const InputBuffer& in, const std::string& what) {
  throw InputError::in_file(in.path, "speedscope: " + what);
}

// Where the JSON text is broken: simdjson's DOM does not say, nlohmann's parser does.
[[noreturn]] void bad_json(const InputBuffer& in, simdjson::error_code err) {
  try {
    nlohmann::json j = nlohmann::json::parse(in.view());
    (void)j;
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError::at_byte(in.path, e.byte > 0 ? e.byte - 1 : 0,
                              fmt::format("speedscope: invalid JSON: {}", e.what()));
  } catch (const nlohmann::json::exception&) {
    // Valid syntax nlohmann cannot hold (a number like 1e400): simdjson's message says why.
  }
  throw InputError::at_byte(in.path, 0, fmt::format("speedscope: {}", simdjson::error_message(err)));
}

struct Column {
  std::string type, unit;
  bool fractional = false;
};

struct ProfileIn {
  element json;
  std::string name;
  std::string unit;
  size_t column = 0;
};

// A number as double; false when it is not a number.
bool number(element e, double& out) {
  if (e.is_double()) return e.get_double().get(out) == simdjson::SUCCESS;
  int64_t i;
  if (e.is_int64() && e.get_int64().get(i) == simdjson::SUCCESS) {
    out = double(i);
    return true;
  }
  uint64_t u;
  if (e.is_uint64() && e.get_uint64().get(u) == simdjson::SUCCESS) {
    out = double(u);
    return true;
  }
  return false;
}

std::string our_unit(std::string_view u) { return u == "none" || u.empty() ? "count" : std::string(u); }

std::string column_type(std::string_view unit) {
  if (unit == "bytes") return "space";
  if (unit == "count") return "samples";
  return "wall";
}

class Reader {
 public:
  Reader(const InputBuffer& in, Profile& p) : in_(in), p_(p) {}

  void read(element doc) {
    object root;
    if (doc.get_object().get(root)) bad(in_, "the top level is not an object");
    std::string_view exporter;
    if (root["exporter"].get_string().get(exporter)) exporter = {};
    bool ours = exporter.substr(0, 7) == "perfkit";
    read_frames(root);
    array profiles;
    if (root["profiles"].get_array().get(profiles)) bad(in_, "no \"profiles\" array");
    for (element e : profiles) {
      ProfileIn pi;
      pi.json = e;
      std::string_view s;
      if (!e["name"].get_string().get(s)) pi.name = s;
      if (!e["unit"].get_string().get(s)) pi.unit = our_unit(s);
      else pi.unit = "count";
      profiles_.push_back(pi);
    }
    // Columns: one per profile in our own files, else one per unit.
    std::map<std::string, size_t> by_unit;
    for (ProfileIn& pi : profiles_) {
      if (ours) {
        pi.column = columns_.size();
        columns_.push_back({pi.name.empty() ? "samples" : pi.name, pi.unit});
      } else {
        auto [it, inserted] = by_unit.try_emplace(pi.unit, columns_.size());
        if (inserted) columns_.push_back({column_type(pi.unit), pi.unit});
        pi.column = it->second;
      }
    }
    rooted_ = !ours && profiles_.size() > 1;
    for (ProfileIn& pi : profiles_) scan_fractions(pi);
    for (const Column& c : columns_)
      p_.value_types.push_back({p_.strings.intern(c.type), p_.strings.intern(c.unit),
                                c.fractional ? kFractionScale : 1});
    for (size_t i = 0; i < profiles_.size(); ++i) read_profile(i);
    p_.flavor = ours ? "perfkit" : "speedscope";
  }

 private:
  static constexpr int64_t kFractionScale = 1000000;

  void read_frames(object root) {
    array frames;
    if (root["shared"]["frames"].get_array().get(frames)) bad(in_, "no \"shared\": {\"frames\": [...]}");
    for (element f : frames) {
      Frame fr;
      std::string_view s;
      if (f["name"].get_string().get(s)) bad(in_, fmt::format("frame {} has no name", frames_.size()));
      fr.function = p_.strings.intern(s);
      if (!f["file"].get_string().get(s)) fr.file = p_.strings.intern(s);
      int64_t line;
      if (!f["line"].get_int64().get(line)) fr.line = line;
      frames_.push_back(p_.intern_frame(fr));
    }
  }

  void scan_fractions(const ProfileIn& pi) {
    array a;
    std::string_view type;
    if (pi.json["type"].get_string().get(type)) type = {};
    const char* key = type == "evented" ? "events" : "weights";
    if (pi.json[key].get_array().get(a)) return;
    for (element e : a) {
      double v;
      element x = type == "evented" ? element(e["at"]) : e;
      if (number(x, v) && v != std::floor(v)) {
        columns_[pi.column].fractional = true;
        return;
      }
    }
  }

  int64_t stored(double v, size_t column) const {
    return std::llround(columns_[column].fractional ? v * double(kFractionScale) : v);
  }

  FrameId frame_at(uint64_t index, const std::string& where) {
    if (index >= frames_.size())
      bad(in_, fmt::format("{}: frame index {} out of range ({} frames)", where, index, frames_.size()));
    return frames_[index];
  }

  StackId root_of(const ProfileIn& pi) {
    if (!rooted_) return kEmptyStack;
    Frame f;
    f.function = p_.strings.intern(pi.name.empty() ? "[profile]" : pi.name);
    return p_.child(kEmptyStack, p_.intern_frame(f));
  }

  void add(StackId s, int64_t v, size_t column) {
    std::vector<int64_t> values(columns_.size(), 0);
    values[column] = v;
    p_.add_sample(s, values.data());
  }

  void read_profile(size_t index) {
    const ProfileIn& pi = profiles_[index];
    std::string_view type;
    if (pi.json["type"].get_string().get(type)) bad(in_, fmt::format("profiles[{}] has no type", index));
    if (type == "sampled") read_sampled(pi, index);
    else if (type == "evented") read_evented(pi, index);
    else bad(in_, fmt::format("profiles[{}]: unknown type '{}'", index, type));
  }

  void read_sampled(const ProfileIn& pi, size_t index) {
    array samples, weights;
    if (pi.json["samples"].get_array().get(samples) || pi.json["weights"].get_array().get(weights))
      bad(in_, fmt::format("profiles[{}]: a sampled profile needs samples and weights", index));
    if (samples.size() != weights.size())
      bad(in_, fmt::format("profiles[{}]: {} samples but {} weights", index, samples.size(), weights.size()));
    StackId root = root_of(pi);
    auto w = weights.begin();
    size_t k = 0;
    for (element stack : samples) {
      std::string where = fmt::format("profiles[{}].samples[{}]", index, k++);
      array frames;
      if (stack.get_array().get(frames)) bad(in_, where + " is not an array");
      StackId s = root;
      for (element f : frames) {
        uint64_t fi;
        if (f.get_uint64().get(fi)) bad(in_, where + " holds a non-index");
        s = p_.child(s, frame_at(fi, where));
      }
      double v;
      if (!number(*w, v)) bad(in_, fmt::format("profiles[{}].weights: not a number", index));
      ++w;
      add(s, stored(v, pi.column), pi.column);
    }
  }

  void read_evented(const ProfileIn& pi, size_t index) {
    array events;
    if (pi.json["events"].get_array().get(events))
      bad(in_, fmt::format("profiles[{}]: an evented profile needs events", index));
    std::vector<StackId> open{root_of(pi)};
    std::vector<FrameId> open_frames;
    std::map<StackId, int64_t> weight;
    int64_t last = 0;
    size_t k = 0;
    for (element e : events) {
      std::string where = fmt::format("profiles[{}].events[{}]", index, k++);
      std::string_view t;
      double at_d;
      uint64_t fi;
      if (e["type"].get_string().get(t) || !number(e["at"], at_d) || e["frame"].get_uint64().get(fi))
        bad(in_, where + ": needs type, at and frame");
      int64_t at = stored(at_d, pi.column);
      if (open.size() > 1 && at > last) weight[open.back()] += at - last;
      last = at;
      FrameId f = frame_at(fi, where);
      if (t == "O") {
        open.push_back(p_.child(open.back(), f));
        open_frames.push_back(f);
      } else if (t == "C") {
        // Close up to the matching open frame (speedscope requires proper nesting).
        while (!open_frames.empty()) {
          FrameId top = open_frames.back();
          open_frames.pop_back();
          open.pop_back();
          if (top == f) break;
        }
      } else {
        bad(in_, fmt::format("{}: unknown event type '{}'", where, t));
      }
    }
    for (const auto& [s, v] : weight) add(s, v, pi.column);
  }

  const InputBuffer& in_;
  Profile& p_;
  std::vector<FrameId> frames_;
  std::vector<ProfileIn> profiles_;
  std::vector<Column> columns_;
  bool rooted_ = false;
};

}  // namespace

Probe probe_speedscope(std::string_view content) {
  std::string_view head = content.substr(0, 4096);
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || head[i] != '{') return Probe::kNo;
  if (head.find(kSchema) != std::string_view::npos) return Probe::kYes;
  if (head.find("\"shared\"") != std::string_view::npos &&
      head.find("\"profiles\"") != std::string_view::npos)
    return Probe::kMaybe;
  return Probe::kNo;
}

void read_speedscope(const InputBuffer& in, Profile& out, const ReadOptions&) {
  // Parsed as a whole (a DOM, or marshal's nested values): the step and its time, no position.
  if (in.progress) in.progress->phase("parsing", in.size(), /*counted=*/false);
  simdjson::dom::parser parser;
  element doc;
  auto err = parser.parse(in.data(), in.size(), false).get(doc);
  if (err) bad_json(in, err);
  try {
    Reader(in, out).read(doc);
  } catch (const simdjson::simdjson_error& e) {
    // A value of the wrong type where the schema wants another (found by fuzzing).
    throw InputError::in_file(in.path, fmt::format("speedscope: {}", e.what()));
  }
}

}  // namespace perfkit
