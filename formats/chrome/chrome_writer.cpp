#include "formats/chrome/chrome_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <deque>
#include <numeric>

#include "lib/flame.h"
#include "lib/flame_walk.h"
#include "lib/text_out.h"
#include "lib/units.h"
#include "reports/escape.h"

namespace perfkit {

namespace {

void add_note(std::string* note, const std::string& what) {
  if (!note) return;
  if (!note->empty()) *note += "; ";
  *note += what;
}

// The trace's records separated by ",\n", the last one followed by "\n" alone.
class TraceOut {
 public:
  explicit TraceOut(ByteSink& sink) : o_(sink) { o_.put("{\"traceEvents\":[\n"); }
  TextOut& record() {
    if (records_++) o_.put(",\n");
    return o_;
  }
  // The record separator a record written by hand starts with ("" for the first record).
  std::string_view next_separator() { return records_++ ? std::string_view(",\n") : ""; }
  TextOut& out() { return o_; }
  void finish(const char* unit) {
    if (records_) o_.put('\n');
    o_.put("],\"displayTimeUnit\":\"");
    o_.put(unit);
    o_.put("\",\"otherData\":{\"exporter\":\"perfkit " PERFKIT_VERSION "\"}}\n");
    o_.finish();
  }
  // A name as a JSON string, escaped once per string id. The view stays valid while later ids
  // are added (a deque grown at its end keeps its elements in place; a vector moved them and
  // left an event's name dangling when its category was escaped next: fuzz_writers).
  std::string_view json(StrId id, std::string_view s) {
    if (id < views_.size() && views_[id].data()) return views_[id];
    if (id >= escaped_.size()) escaped_.resize(id + 1), views_.resize(id + 1);
    std::string& e = escaped_[id];
    append_json_string(e, s);
    return views_[id] = e;
  }

 private:
  TextOut o_;
  int64_t records_ = 0;
  std::deque<std::string> escaped_;
  std::vector<std::string_view> views_;  // of escaped_'s strings, once escaped (a quick lookup)
};

// Pieces of a record written at a cursor (a local buffer, or room in the TextOut).
class Cursor {
 public:
  explicit Cursor(char* at) : at_(at) {}
  Cursor& lit(std::string_view s) {
    std::memcpy(at_, s.data(), s.size());
    at_ += s.size();
    return *this;
  }
  Cursor& num(int64_t v) {
    if (v < 0) *at_++ = '-';
    return digits(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  }
  // v in decimal, written in place (two digits at a time, from the last).
  Cursor& digits(uint64_t v) {
    static constexpr char kPairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    static constexpr uint64_t kPow10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull,
                                            1000000ull, 10000000ull, 100000000ull, 1000000000ull,
                                            10000000000ull, 100000000000ull, 1000000000000ull,
                                            10000000000000ull, 100000000000000ull,
                                            1000000000000000ull, 10000000000000000ull,
                                            100000000000000000ull, 1000000000000000000ull,
                                            10000000000000000000ull};
    // Digits from the bit width (log10(2) ~ 1233 / 4096), one less when below that power of 10.
    const unsigned t = static_cast<unsigned>(std::bit_width(v | 1)) * 1233 >> 12;
    const unsigned n = t + ((v | 1) >= kPow10[t]);
    char* p = at_ + n;
    at_ = p;
    while (v >= 100) {
      const auto pair = static_cast<unsigned>(v % 100) * 2;
      v /= 100;
      *--p = kPairs[pair + 1];
      *--p = kPairs[pair];
    }
    if (v >= 10) {
      *--p = kPairs[v * 2 + 1];
      *--p = kPairs[v * 2];
    } else {
      *--p = static_cast<char>('0' + v);
    }
    return *this;
  }
  Cursor& us(int64_t ns) {
    uint64_t mag = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
    if (ns < 0) *at_++ = '-';
    digits(mag / 1000);
    if (uint64_t frac = mag % 1000) {
      *at_++ = '.';
      *at_++ = char('0' + frac / 100);
      if (frac % 100) {
        *at_++ = char('0' + frac / 10 % 10);
        if (frac % 10) *at_++ = char('0' + frac % 10);
      }
    }
    return *this;
  }
  char* at() const { return at_; }

 private:
  char* at_;
};

// The longest record after its name: 75 literal bytes, two times of 25 and two int64 of 20.
constexpr size_t kMaxPiece = 192;

class Piece {
 public:
  Cursor start() { return Cursor(buf_); }
  std::string_view text(const Cursor& end) const {
    return std::string_view(buf_, static_cast<size_t>(end.at() - buf_));
  }

 private:
  char buf_[kMaxPiece];
};

void put_us(TextOut& o, int64_t ns) {
  Piece p;
  o.put(p.text(p.start().us(ns)));
}

// {"ph":"M","name":"WHAT","pid":P,"tid":T,"args":{"KEY":  (the caller writes the value and "}}")
TextOut& meta_head(TraceOut& t, const char* what, int64_t pid, int64_t tid, const char* key) {
  TextOut& o = t.record();
  o.put("{\"ph\":\"M\",\"name\":\"");
  o.put(what);
  o.put("\",\"pid\":");
  o.put_int(pid);
  o.put(",\"tid\":");
  o.put_int(tid);
  o.put(",\"args\":{\"");
  o.put(key);
  o.put("\":");
  return o;
}

void meta_event(TraceOut& t, const char* what, int64_t pid, int64_t tid, std::string_view name) {
  TextOut& o = meta_head(t, what, pid, tid, "name");
  std::string e;
  append_json_string(e, name);
  o.put(e);
  o.put("}}");
}

void sort_event(TraceOut& t, const char* what, int64_t pid, int64_t tid, int64_t index) {
  TextOut& o = meta_head(t, what, pid, tid, "sort_index");
  o.put_int(index);
  o.put("}}");
}

// One event's common head: {"ph":"X","name":...,"cat":...,"pid":..,"tid":..,"ts":..
TextOut& event_head(TraceOut& t, char ph, std::string_view name_json, std::string_view cat_json,
                    int64_t pid, int64_t tid, int64_t ts_ns) {
  TextOut& o = t.record();
  o.put("{\"ph\":\"");
  o.put(ph);
  o.put("\",\"name\":");
  o.put(name_json);
  if (!cat_json.empty()) {
    o.put(",\"cat\":");
    o.put(cat_json);
  }
  o.put(",\"pid\":");
  o.put_int(pid);
  o.put(",\"tid\":");
  o.put_int(tid);
  o.put(",\"ts\":");
  put_us(o, ts_ns);
  return o;
}

void put_async_id(TextOut& o, int64_t id) {
  o.put(",\"id\":\"0x");
  char hex[17];
  const auto r = fmt::format_to_n(hex, sizeof hex, "{:x}", id);
  o.put(std::string_view(hex, r.size));
  o.put("\"}");
}

}  // namespace

void append_us(std::string& out, int64_t ns) {
  StringSink sink(out);
  TextOut o(sink);
  put_us(o, ns);
  o.finish();
}

void write_chrome_trace(const Profile& p, ByteSink& sink, std::string* note) {
  TraceOut t(sink);
  for (const auto& [pid, name] : p.process_names) meta_event(t, "process_name", pid, 0, name);
  for (const auto& [pid, idx] : p.process_sort_index)
    sort_event(t, "process_sort_index", pid, 0, idx);
  for (const auto& [key, name] : p.thread_names)
    meta_event(t, "thread_name", key.pid, key.tid, name);
  for (const auto& [key, idx] : p.thread_sort_index)
    sort_event(t, "thread_sort_index", key.pid, key.tid, idx);
  std::vector<uint32_t> order(p.spans.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Span &x = p.spans[a], &y = p.spans[b];
    if (x.start_ns != y.start_ns) return x.start_ns < y.start_ns;
    return x.depth < y.depth;
  });
  std::string async_json;  // the category of async spans without one
  append_json_string(async_json, "async");
  int64_t unclosed = 0, async_id = 0;
  for (uint32_t i : order) {
    const Span& s = p.spans[i];
    const std::string_view name = t.json(s.name, p.str(s.name));
    const std::string_view cat = s.cat && !p.str(s.cat).empty() ? t.json(s.cat, p.str(s.cat)) : "";
    switch (s.kind) {
      case SpanKind::kComplete: {
        TextOut& o = event_head(t, 'X', name, cat, s.pid, s.tid, s.start_ns);
        o.put(",\"dur\":");
        put_us(o, s.dur_ns);
        o.put('}');
        unclosed += s.unclosed;
        break;
      }
      case SpanKind::kInstant:
        event_head(t, 'i', name, cat, s.pid, s.tid, s.start_ns).put(",\"s\":\"t\"}");
        break;
      case SpanKind::kAsync: {
        ++async_id;
        const std::string_view acat = cat.empty() ? std::string_view(async_json) : cat;
        put_async_id(event_head(t, 'b', name, acat, s.pid, s.tid, s.start_ns), async_id);
        put_async_id(event_head(t, 'e', name, acat, s.pid, s.tid, s.start_ns + s.dur_ns), async_id);
        break;
      }
    }
  }
  t.finish(p.display_time_unit.empty() ? "ms" : p.display_time_unit.c_str());
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
  if (unclosed)
    add_note(note, fmt::format("{} unclosed spans written closed at their thread's end", unclosed));
}

void write_chrome_flame_chart(const Profile& p, int value_index, ByteSink& sink,
                              std::string* note) {
  int vi = value_index >= 0 ? value_index : p.default_value_index();
  std::string type, unit;
  int64_t scale = 1;
  if (vi >= 0) {
    type = p.str(p.value_types[vi].type);
    unit = p.str(p.value_types[vi].unit);
    scale = p.value_types[vi].scale;
  }
  bool time = units::dimension_of(unit) == units::Dimension::kTime && scale == 1;
  // ns per stored unit: exact for nanoseconds; other units are drawn as 1 unit = 1 us.
  int64_t ns_per = 1000;
  if (time) {
    units::Scaled one = units::pprof_scale(1000000000, unit, "ns");
    ns_per = std::max<int64_t>(1, static_cast<int64_t>(one.value / 1e9 + 0.5));
  }
  TraceOut out(sink);
  meta_event(out, "process_name", 1, 0, fmt::format("{} ({}/{} flame chart)", std::string_view(p.path).substr(p.path.rfind('/') + 1), type, unit));
  meta_event(out, "thread_name", 1, 1, "stacks");
  TextOut& o = out.out();
  // What event_head and the fields after it write, in place in the TextOut's buffer (in pieces
  // when the name is too long for it).
  auto event = [&](uint32_t name, std::string_view name_text, int64_t offset, int64_t value,
                   int64_t self) {
    const std::string_view sep = out.next_separator(), json = out.json(name, name_text);
    constexpr std::string_view kHead = "{\"ph\":\"X\",\"name\":";
    Piece piece;
    const bool in_place = json.size() <= TextOut::kSize - kMaxPiece - kHead.size() - 2;
    Cursor c = in_place ? Cursor(o.room(2 + kHead.size() + json.size() + kMaxPiece)) : piece.start();
    c.lit(sep).lit(kHead);
    if (in_place) {
      c.lit(json);
    } else {
      o.put(piece.text(c));
      o.put(json);
      c = piece.start();
    }
    c.lit(",\"pid\":1,\"tid\":1,\"ts\":").us(offset * ns_per);
    c.lit(",\"dur\":").us(value * ns_per).lit(",\"args\":{\"value\":").num(value);
    c.lit(",\"self\":").num(self).lit("}}");
    if (in_place) o.wrote(c.at());
    else o.put(piece.text(c));
  };
  // Nodes in order of their left edge, parents before the children that share it: a preorder
  // walk with children in layout (name) order. From the stack lists when the profile has them
  // (no tree is built), else from the flame tree.
  int64_t dropped_negative = 0;
  const bool walked = walk_flame_lists(p, vi, [&](const FlameWalkNode& n) {
    event(n.name, n.names[n.name], n.offset, n.value, n.self);
  });
  if (!walked) {
    FlameTree t = build_flame_tree(p, FlameOptions{vi, {}});
    dropped_negative = t.dropped_negative;
    // Nodes of weight 0 have only such descendants.
    struct Visit {
      uint32_t node;
      int64_t offset;
    };
    std::vector<Visit> todo;
    auto push_children = [&](uint32_t n, int64_t x) {
      const size_t first = todo.size();
      for (uint32_t c = t.nodes[n].first_child; c != kNoNode; c = t.nodes[c].next_sibling) {
        if (t.nodes[c].value > 0) todo.push_back({c, x});
        x += t.nodes[c].value;
      }
      std::reverse(todo.begin() + static_cast<ptrdiff_t>(first), todo.end());
    };
    push_children(0, 0);
    while (!todo.empty()) {
      const Visit v = todo.back();
      todo.pop_back();
      const FlameNode& n = t.nodes[v.node];
      event(n.name, t.names[n.name], v.offset, n.value, n.self);
      push_children(v.node, v.offset);
    }
  }
  out.finish("ms");
  add_note(note, "a flame chart: stacks laid out by weight, not by time (no timestamps in the input)");
  if (!time)
    add_note(note, fmt::format("{}/{} values are drawn as 1 {} = 1 microsecond", type, unit,
                               unit.empty() ? "unit" : unit));
  if (dropped_negative) add_note(note, fmt::format("{} negative stacks left out", dropped_negative));
  if (!p.labels().empty()) add_note(note, "sample labels are not kept");
}

void write_chrome(const Profile& p, int value_index, ByteSink& sink, std::string* note) {
  if (!p.spans.empty()) return write_chrome_trace(p, sink, note);
  write_chrome_flame_chart(p, value_index, sink, note);
}

std::string write_chrome_trace(const Profile& p, std::string* note) {
  std::string out;
  StringSink sink(out);
  write_chrome_trace(p, sink, note);
  return out;
}

std::string write_chrome_flame_chart(const Profile& p, int value_index, std::string* note) {
  std::string out;
  StringSink sink(out);
  write_chrome_flame_chart(p, value_index, sink, note);
  return out;
}

std::string write_chrome(const Profile& p, int value_index, std::string* note) {
  std::string out;
  StringSink sink(out);
  write_chrome(p, value_index, sink, note);
  return out;
}

}  // namespace perfkit
