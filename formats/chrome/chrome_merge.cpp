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

#include "formats/chrome/structural_index.h"
#include "lib/decimal_time.h"
#include "lib/huge_pages.h"

namespace perfkit {

namespace {

constexpr size_t kNpos = std::string_view::npos;
constexpr int64_t kNoTs = INT64_MIN;

struct RawEvent {  // 32 bytes: there is one per event
  size_t begin = 0;
  int64_t ts_ns = kNoTs;
  uint32_t len = 0;
  uint32_t pid_off = 0, pid_len = 0;  // relative to begin; pid_len 0 = no pid
  bool meta = false;
};

struct FileScan {
  BigVector<RawEvent> events;
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

// --- the fast path for JSON lines: stage 1 over a window of lines, then a validating walk ---
// It vouches only for what the DOM parser surely accepts (no backslashes on the line, numbers of
// at most 18 digits with small exponents, depth <= 64); any other line goes to the DOM parser,
// so which lines are kept or dropped is decided exactly as before.

constexpr size_t kLineWindowBytes = 1 << 20;
constexpr uint32_t kMaxCheckDepth = 64;

// A scalar token (trailing whitespace trimmed) the DOM parser accepts as written.
bool plain_scalar(std::string_view t) {
  if (t.empty()) return false;
  if (t[0] == '"') return t.size() >= 2 && t.back() == '"';  // stage 1 vetted the string itself
  if (t == "true" || t == "false" || t == "null") return true;
  size_t i = t[0] == '-' ? 1 : 0, digits = 0;
  auto run = [&] {
    size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i - from;
  };
  const size_t int_digits = run();
  if (int_digits == 0 || (int_digits > 1 && t[i - int_digits] == '0')) return false;
  digits += int_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    const size_t frac = run();
    if (frac == 0) return false;
    digits += frac;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    const size_t exp = run();
    if (exp == 0 || exp > 2) return false;
  }
  return i == t.size() && digits <= 18;
}

// Structural indexes of a window (from simdjson's stage 1) and a checking walk over them.
struct Structurals {
  const char* s = nullptr;     // the window
  const uint32_t* idx = nullptr;
  uint32_t n = 0;

  char at(uint32_t j) const { return s[idx[j]]; }
  // Token j's text, trailing whitespace trimmed (j + 1 < n).
  std::string_view token(uint32_t j) const {
    size_t b = idx[j], e = idx[j + 1];
    while (e > b && is_ws(s[e - 1])) --e;
    return std::string_view(s + b, e - b);
  }
  // The value at j: one past it, or 0 when it is not vouched for. `member` sees the top-level
  // object's members (key without quotes, value token index) when depth is 0.
  template <typename F>
  uint32_t value(uint32_t j, uint32_t depth, F& member) const {
    if (j + 1 >= n) return 0;
    const char c = at(j);
    if (c == '{' || c == '[') {
      if (depth >= kMaxCheckDepth) return 0;
      const char close = c == '{' ? '}' : ']';
      ++j;
      if (at(j) == close) return j + 1;
      for (;;) {
        uint32_t v = j;
        if (c == '{') {
          if (j + 2 >= n || at(j) != '"' || at(j + 1) != ':') return 0;
          std::string_view key = token(j);
          if (!plain_scalar(key)) return 0;
          v = j + 2;
          if (depth == 0 && !member(key.substr(1, key.size() - 2), v)) return 0;
        }
        const uint32_t next = value(v, depth + 1, member);
        if (next == 0 || next >= n) return 0;
        if (at(next) == close) return next + 1;
        if (at(next) != ',') return 0;
        j = next + 1;
      }
    }
    if (c == ',' || c == ':' || c == '}' || c == ']') return 0;
    return plain_scalar(token(j)) ? j + 1 : 0;
  }
};

class Scanner {
 public:
  Scanner(const InputBuffer& in, FileScan& out) : in_(in), v_(in.view()), out_(out) {}

  void run() {
    in_.prefetch(0, in_.size());  // every byte is read, and the output needs them all
    reserve_guess(out_.events, in_.size() / 48);  // an event is rarely under 48 bytes
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
  // Windows of whole lines take the fast path (lines_fast); what it does not vouch for, and any
  // window stage 1 refuses, is parsed line by line.
  void lines(size_t i) {
    while (i < v_.size()) {
      size_t limit = std::min(v_.size(), i + kLineWindowBytes);
      if (limit < v_.size()) {
        const void* nl = memrchr(v_.data() + i, '\n', limit - i);
        if (!nl) {  // a line longer than the window: on its own
          i = line(i) + 1;
          continue;
        }
        limit = static_cast<const char*>(nl) - v_.data() + 1;
      }
      if (!lines_fast(i, limit)) {
        for (size_t at = i; at < limit;) at = line(at) + 1;
      }
      i = limit;
    }
  }

  // The line starting at i: kept, or counted as cut/invalid. Returns where it ends (its '\n').
  size_t line(size_t i) {
    const void* nl = memchr(v_.data() + i, '\n', v_.size() - i);
    size_t end = nl ? static_cast<const char*>(nl) - v_.data() : v_.size();
    size_t b = skip_ws(v_, i), e = end;
    while (e > b && is_ws(v_[e - 1])) --e;
    if (e > b) {
      bool last = skip_ws(v_, end) >= v_.size();
      if (v_[b] != '{' || !event(b, e)) ++(last ? out_.cut : out_.invalid);
    }
    return end;
  }

  // [from, to) holds whole lines: false (nothing done) when stage 1 refuses the window.
  bool lines_fast(size_t from, size_t to) {
    const size_t len = to - from;
    const char* w = v_.data() + from;
    if (!stage1_.run(w, len)) return false;
    Structurals st{w, stage1_.indexes(), stage1_.size()};
    // Lines with a backslash go to the DOM parser; most windows have none at all.
    const bool backslashes = memchr(w, '\\', len) != nullptr;
    uint32_t j = 0;
    for (size_t i = from; i < to;) {
      const void* nl = memchr(v_.data() + i, '\n', to - i);
      const size_t end = nl ? static_cast<const char*>(nl) - v_.data() : to;
      size_t b = i, e = end;
      while (b < e && is_ws(v_[b])) ++b;
      while (e > b && is_ws(v_[e - 1])) --e;
      if (e > b) {
        while (j < st.n && from + st.idx[j] < b) ++j;  // after a vouched line: no steps
        if (!event_fast(st, j, b, e, backslashes)) line(i);
      }
      i = end + 1;
    }
    return true;
  }

  // The line [b, e) as one event, if the walk vouches for it as a whole object; then j moves
  // past the line's structurals.
  bool event_fast(const Structurals& st, uint32_t& j, size_t b, size_t e, bool backslashes) {
    const size_t from = static_cast<size_t>(st.s - v_.data());
    if (j >= st.n || from + st.idx[j] != b || v_[b] != '{') return false;
    if (backslashes && memchr(v_.data() + b, '\\', e - b)) return false;
    RawEvent ev;
    ev.begin = b;
    ev.len = static_cast<uint32_t>(e - b);
    bool any = false;
    std::string_view pids[4];  // noted once the line is vouched for, in order
    size_t n_pids = 0;
    auto member = [&](std::string_view key, uint32_t v) {
      any = true;
      const char c = st.at(v);
      const bool container = c == '{' || c == '[';
      if (key == "ph") {
        if (container) return false;
        ev.meta = st.token(v) == "\"M\"";
      } else if (key == "ts") {
        if (container) return false;
        ev.ts_ns = ts_of(st.token(v));
      } else if (key == "pid") {
        if (container || n_pids == 4) return false;
        std::string_view pid = st.token(v);
        ev.pid_off = static_cast<uint32_t>(from + st.idx[v] - b);
        ev.pid_len = static_cast<uint32_t>(pid.size());
        pids[n_pids++] = pid;
      }
      return true;
    };
    const uint32_t after = st.value(j, 0, member);
    if (after == 0 || from + st.idx[after - 1] != e - 1) return false;
    j = after;
    for (size_t k = 0; k < n_pids; ++k) note_pid(pids[k]);
    if (!any) {
      ++out_.empty;
      return true;
    }
    out_.events.push_back(ev);
    return true;
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
  StructuralIndex stage1_;  // for lines_fast
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

// An event's place in the output: by time, then file, then position (a total order).
struct MergeKey {
  int64_t ts;
  uint32_t file;
  uint32_t index;
  bool operator<(const MergeKey& o) const {
    if (ts != o.ts) return ts < o.ts;
    if (file != o.file) return file < o.file;
    return index < o.index;
  }
};

// Sorts keys that come in long ascending runs (each fragment is nearly in time order) by merging
// the runs pairwise: O(n log runs). The order is total, so this equals any other sort.
void sort_runs(BigVector<MergeKey>& keys) {
  std::vector<size_t> runs{0};
  for (size_t i = 1; i < keys.size(); ++i)
    if (keys[i] < keys[i - 1]) runs.push_back(i);
  if (runs.size() > keys.size() / 16) {  // no long runs: a plain sort is as good
    std::sort(keys.begin(), keys.end());
    return;
  }
  runs.push_back(keys.size());
  BigVector<MergeKey> other(keys.size());
  while (runs.size() > 2) {
    std::vector<size_t> merged{0};
    for (size_t r = 0; r + 1 < runs.size(); r += 2) {
      const size_t lo = runs[r], mid = runs[r + 1];
      const size_t hi = r + 2 < runs.size() ? runs[r + 2] : mid;
      std::merge(keys.begin() + lo, keys.begin() + mid, keys.begin() + mid, keys.begin() + hi,
                 other.begin() + lo);
      merged.push_back(hi);
    }
    keys.swap(other);
    runs.swap(merged);
  }
}

bool integer_text(std::string_view s, int64_t& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

TraceMergeResult merge_chrome_fragments(const std::vector<InputBuffer>& inputs,
                                        const TraceMergeOptions& opts) {
  std::string json;
  TraceMergeResult r = merge_chrome_fragments(inputs, opts, [&](std::string_view piece) {
    json.append(piece);
  });
  r.json = std::move(json);
  return r;
}

TraceMergeResult merge_chrome_fragments(const std::vector<InputBuffer>& inputs,
                                        const TraceMergeOptions& opts,
                                        const std::function<void(std::string_view)>& sink) {
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

  BigVector<MergeKey> order;
  size_t events = 0;
  for (const FileScan& s : scans) events += s.events.size();
  order.reserve(events);
  for (size_t f = 0; f < scans.size(); ++f) {
    for (size_t k = 0; k < scans[f].events.size(); ++k)
      if (!scans[f].events[k].meta)
        order.push_back({scans[f].events[k].ts_ns, uint32_t(f), uint32_t(k)});
  }
  sort_runs(order);

  // Written in pieces: the merged trace is as large as its inputs, and holding it whole cost
  // more than the merge (memory pages first touched, then copied again by write).
  constexpr size_t kPiece = size_t{1} << 20;
  std::string out;
  out.reserve(2 * kPiece);
  out += "{\"traceEvents\":[\n";
  bool first = true;
  auto sep = [&] {
    if (out.size() >= kPiece) {
      sink(out);
      out.clear();
    }
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
  for (const MergeKey& k : order) {
    sep();
    text_of(k.file, scans[k.file].events[k.index], out);
    ++r.events;
  }
  out += fmt::format("\n],\"otherData\":{{\"merged_by\":\"perfkit {}\",\"inputs\":{}}}}}\n",
                     PERFKIT_VERSION, inputs.size());
  sink(out);
  return r;
}

}  // namespace perfkit
