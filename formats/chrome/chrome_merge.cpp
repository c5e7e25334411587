#include "formats/chrome/chrome_merge.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <simdjson.h>

#include "lib/decimal_time.h"

namespace perfkit {

namespace {

constexpr size_t kNpos = std::string_view::npos;
constexpr int64_t kNoTs = INT64_MIN;

struct RawEvent {
  size_t begin = 0;
  uint32_t len = 0;
  uint32_t pid_off = 0, pid_len = 0;  // relative to begin; pid_len 0 = no pid
  int64_t ts_ns = kNoTs;
  bool meta = false;
};

struct FileScan {
  std::vector<RawEvent> events;
  std::vector<std::string> pids;  // distinct raw pid tokens, in order of first appearance
  int64_t cut = 0, invalid = 0, empty = 0;
  std::string stopped;  // why the scan stopped early, if it did
};

bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

size_t skip_ws(std::string_view v, size_t i) {
  while (i < v.size() && is_ws(v[i])) ++i;
  return i;
}

// i at an opening quote: the index of the closing quote, or kNpos when the text ends first.
size_t string_end(std::string_view v, size_t i) {
  for (size_t j = i + 1; j < v.size();) {
    const void* q = memchr(v.data() + j, '"', v.size() - j);
    if (!q) return kNpos;
    size_t k = static_cast<const char*>(q) - v.data();
    size_t slashes = 0;
    while (k - slashes > i + 1 && v[k - slashes - 1] == '\\') ++slashes;
    if (slashes % 2 == 0) return k;
    j = k + 1;
  }
  return kNpos;
}

// i at '{' or '[': one past the matching close, or kNpos when the text ends first.
size_t container_end(std::string_view v, size_t i) {
  size_t depth = 0;
  for (; i < v.size(); ++i) {
    char c = v[i];
    if (c == '"') {
      i = string_end(v, i);
      if (i == kNpos) return kNpos;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return kNpos;
}

size_t value_end(std::string_view v, size_t i) {
  if (i >= v.size()) return kNpos;
  if (v[i] == '"') {
    size_t e = string_end(v, i);
    return e == kNpos ? kNpos : e + 1;
  }
  if (v[i] == '{' || v[i] == '[') return container_end(v, i);
  while (i < v.size() && v[i] != ',' && v[i] != '}' && v[i] != ']' && !is_ws(v[i])) ++i;
  return i;
}

// Calls f(key, raw value, value offset) for each member of the object at v[0] == '{'.
// Returns false if the text ends inside it.
template <typename F>
bool for_each_member(std::string_view v, F f) {
  size_t i = skip_ws(v, 1);
  while (i < v.size() && v[i] != '}') {
    if (v[i] != '"') return false;
    size_t ke = string_end(v, i);
    if (ke == kNpos) return false;
    std::string_view key = v.substr(i + 1, ke - i - 1);
    i = skip_ws(v, ke + 1);
    if (i >= v.size() || v[i] != ':') return false;
    i = skip_ws(v, i + 1);
    size_t ve = value_end(v, i);
    if (ve == kNpos) return false;
    if (!f(key, v.substr(i, ve - i), i)) return true;
    i = skip_ws(v, ve);
    if (i < v.size() && v[i] == ',') i = skip_ws(v, i + 1);
  }
  return i < v.size();
}

// Object form: the offset just after the '[' of "traceEvents", or kNpos if the top-level object
// has no such member (then it is one event of a JSON-lines file).
size_t events_array(std::string_view v, size_t at) {
  size_t found = kNpos;
  // A cut object form ends before its members do: walk them by hand and stop at traceEvents.
  size_t i = skip_ws(v, at + 1);
  while (i < v.size() && v[i] == '"') {
    size_t ke = string_end(v, i);
    if (ke == kNpos) break;
    std::string_view key = v.substr(i + 1, ke - i - 1);
    i = skip_ws(v, ke + 1);
    if (i >= v.size() || v[i] != ':') break;
    i = skip_ws(v, i + 1);
    if (key == "traceEvents" && i < v.size() && v[i] == '[') {
      found = i + 1;
      break;
    }
    size_t ve = value_end(v, i);
    if (ve == kNpos) break;
    i = skip_ws(v, ve);
    if (i < v.size() && v[i] == ',') i = skip_ws(v, i + 1);
  }
  return found;
}

class Scanner {
 public:
  Scanner(const InputBuffer& in, FileScan& out) : in_(in), v_(in.view()), out_(out) {}

  void run() {
    size_t i = skip_ws(v_, 0);
    if (i >= v_.size()) return;
    if (v_[i] == '[') return objects(i + 1);
    if (v_[i] != '{') {
      out_.stopped = fmt::format("byte {}: not a Chrome trace (expected '[' or '{{')", i);
      return;
    }
    size_t ev = events_array(v_, i);
    if (ev != kNpos) return objects(ev);
    lines(i);
  }

 private:
  // Events inside an array, from just after its '['.
  void objects(size_t i) {
    for (;;) {
      while (i < v_.size() && (is_ws(v_[i]) || v_[i] == ',')) ++i;
      if (i >= v_.size() || v_[i] == ']') return;
      if (v_[i] != '{') {
        ++out_.invalid;
        out_.stopped = fmt::format("byte {}: expected an event object; the rest is dropped", i);
        return;
      }
      size_t end = container_end(v_, i);
      if (end == kNpos) {
        ++out_.cut;
        return;
      }
      if (!event(i, end)) ++out_.invalid;
      i = end;
    }
  }

  // JSON lines: one event per line; a line that does not parse is dropped (cut when last).
  void lines(size_t i) {
    while (i < v_.size()) {
      const void* nl = memchr(v_.data() + i, '\n', v_.size() - i);
      size_t end = nl ? static_cast<const char*>(nl) - v_.data() : v_.size();
      size_t b = skip_ws(v_, i), e = end;
      while (e > b && is_ws(v_[e - 1])) --e;
      if (e > b) {
        bool last = skip_ws(v_, end) >= v_.size();
        if (v_[b] != '{' || !event(b, e)) ++(last ? out_.cut : out_.invalid);
      }
      i = end + 1;
    }
  }

  bool event(size_t b, size_t e) {
    simdjson::dom::element doc;
    if (parser_.parse(v_.data() + b, e - b, false).get(doc) || !doc.is_object()) return false;
    std::string_view text = v_.substr(b, e - b);
    if (skip_ws(text, 1) < text.size() && text[skip_ws(text, 1)] == '}') {
      ++out_.empty;  // a trailing {} sentinel
      return true;
    }
    RawEvent ev;
    ev.begin = b;
    ev.len = static_cast<uint32_t>(e - b);
    for_each_member(text, [&](std::string_view key, std::string_view val, size_t off) {
      if (key == "ph") ev.meta = val == "\"M\"";
      else if (key == "ts") ev.ts_ns = ts_of(val);
      else if (key == "pid") {
        ev.pid_off = static_cast<uint32_t>(off);
        ev.pid_len = static_cast<uint32_t>(val.size());
        note_pid(val);
      }
      return true;
    });
    out_.events.push_back(ev);
    return true;
  }

  static int64_t ts_of(std::string_view val) {
    if (val.size() >= 2 && val.front() == '"') val = val.substr(1, val.size() - 2);
    int64_t ns;
    return parse_decimal_scaled(val, 3, ns) == DecimalStatus::kOk ? ns : kNoTs;
  }

  void note_pid(std::string_view pid) {
    if (!last_pid_.empty() && pid == last_pid_) return;
    last_pid_ = pid;
    if (seen_.insert(std::string(pid)).second) out_.pids.emplace_back(pid);
  }

  const InputBuffer& in_;
  std::string_view v_;
  FileScan& out_;
  simdjson::dom::parser parser_;
  std::unordered_set<std::string> seen_;
  std::string last_pid_;
};

void scan_all(const std::vector<InputBuffer>& inputs, std::vector<FileScan>& scans, unsigned jobs) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t f; (f = next++) < inputs.size();) Scanner(inputs[f], scans[f]).run();
  };
  size_t threads = std::min<size_t>(std::max(1u, jobs), inputs.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

bool integer_text(std::string_view s, int64_t& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

TraceMergeResult merge_chrome_fragments(const std::vector<InputBuffer>& inputs,
                                        const TraceMergeOptions& opts) {
  TraceMergeResult r;
  std::vector<FileScan> scans(inputs.size());
  scan_all(inputs, scans, opts.jobs);

  // pids: the first file with a pid keeps it; later files get fresh ones.
  int64_t max_pid = 0;
  for (const FileScan& s : scans)
    for (const std::string& pid : s.pids) {
      int64_t n;
      if (integer_text(pid, n)) max_pid = std::max(max_pid, n);
    }
  std::unordered_map<std::string, size_t> owner;
  std::vector<std::unordered_map<std::string, std::string>> remap(inputs.size());
  for (size_t f = 0; f < scans.size(); ++f) {
    for (const std::string& pid : scans[f].pids) {
      auto [it, inserted] = owner.try_emplace(pid, f);
      if (inserted || it->second == f || opts.keep_pids) continue;
      std::string fresh = fmt::format("{}", ++max_pid);
      r.warnings.push_back({inputs[f].path,
                            fmt::format("pid {} is also in {}: remapped to {}", pid,
                                        inputs[it->second].path, fresh)});
      remap[f].emplace(pid, std::move(fresh));
      ++r.remapped_pids;
    }
    const FileScan& s = scans[f];
    if (s.cut)
      r.warnings.push_back({inputs[f].path, "dropped a cut event at the end (the writer stopped mid-event)", s.cut});
    if (s.invalid) r.warnings.push_back({inputs[f].path, "dropped events that are not valid JSON", s.invalid});
    if (!s.stopped.empty()) r.warnings.push_back({inputs[f].path, s.stopped});
  }

  auto text_of = [&](size_t f, const RawEvent& e, std::string& out) {
    std::string_view t = inputs[f].view().substr(e.begin, e.len);
    if (e.pid_len && !remap[f].empty()) {
      auto it = remap[f].find(std::string(t.substr(e.pid_off, e.pid_len)));
      if (it != remap[f].end()) {
        out.append(t.substr(0, e.pid_off));
        out += it->second;
        out.append(t.substr(e.pid_off + e.pid_len));
        return;
      }
    }
    out.append(t);
  };

  size_t bytes = 64;
  struct Key {
    int64_t ts;
    uint32_t file;
    uint32_t index;
  };
  std::vector<Key> order;
  for (size_t f = 0; f < scans.size(); ++f) {
    bytes += inputs[f].size();
    for (size_t k = 0; k < scans[f].events.size(); ++k)
      if (!scans[f].events[k].meta)
        order.push_back({scans[f].events[k].ts_ns, uint32_t(f), uint32_t(k)});
  }
  std::sort(order.begin(), order.end(), [](const Key& a, const Key& b) {
    if (a.ts != b.ts) return a.ts < b.ts;
    if (a.file != b.file) return a.file < b.file;
    return a.index < b.index;
  });

  std::string& out = r.json;
  out.reserve(bytes + bytes / 16);
  out += "{\"traceEvents\":[\n";
  bool first = true;
  auto sep = [&] {
    if (!first) out += ",\n";
    first = false;
  };
  std::unordered_set<std::string> meta_seen;
  std::string buf;
  for (size_t f = 0; f < scans.size(); ++f)
    for (const RawEvent& e : scans[f].events) {
      if (!e.meta) continue;
      buf.clear();
      text_of(f, e, buf);
      if (!meta_seen.insert(buf).second) {
        ++r.duplicate_metadata;
        continue;
      }
      sep();
      out += buf;
      ++r.events;
    }
  for (const Key& k : order) {
    sep();
    text_of(k.file, scans[k.file].events[k.index], out);
    ++r.events;
  }
  out += fmt::format("\n],\"otherData\":{{\"merged_by\":\"perfkit {}\",\"inputs\":{}}}}}\n",
                     PERFKIT_VERSION, inputs.size());
  return r;
}

}  // namespace perfkit
