#include "formats/chrome/chrome_event.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace perfkit {
namespace {

using simdjson::error_code;
namespace ondemand = simdjson::ondemand;

// A scalar's raw JSON text: a string literal's contents (if written without escapes), or the
// literal text of a number/true/false/null.
struct Token {
  std::string_view text;
  bool is_string = false;
  bool escaped = false;
};

Token classify(std::string_view raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t'))
    raw.remove_suffix(1);
  Token t;
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    t.is_string = true;
    t.text = raw.substr(1, raw.size() - 2);
    t.escaped = std::memchr(t.text.data(), '\\', t.text.size()) != nullptr;
  } else {
    t.text = raw;
  }
  return t;
}

template <size_t N>
bool key_is(const char* key, const char (&lit)[N]) {
  return std::memcmp(key, lit, N - 1) == 0 && key[N - 1] == '"';
}

// Interns a scalar's raw token when it needs no unescaping (false: a string with escapes).
bool intern_plain(std::string_view raw, StringTable& strings, StrId& out) {
  Token t = classify(raw);
  if (t.escaped) return false;
  out = strings.intern(t.text);
  return true;
}

// Interns a string value (or a scalar's text); unescapes only when the text has escapes.
error_code intern_value(ondemand::value& v, StringTable& strings, StrId& out) {
  if (intern_plain(v.raw_json_token(), strings, out)) return simdjson::SUCCESS;
  std::string_view s;
  if (auto e = v.get_string().get(s)) return e;
  out = strings.intern(s);
  return simdjson::SUCCESS;
}

// pid/tid: an integer, or a string that is an integer, or any other string (a synthetic id).
// False when the token is a string with escapes (nothing is set then).
bool read_id_plain(std::string_view raw, StringTable& strings, int64_t& num, StrId& str,
                   bool& has) {
  Token t = classify(raw);
  if (!t.is_string && t.text == "null") return true;
  if (t.escaped) return false;
  has = true;
  if (parse_decimal_scaled(t.text, 0, num) == DecimalStatus::kOk) return true;
  str = strings.intern(t.text);
  num = kSyntheticIdBase + str;
  return true;
}

error_code read_id_number(ondemand::value& v, StringTable& strings, int64_t& num, StrId& str,
                          bool& has) {
  if (read_id_plain(v.raw_json_token(), strings, num, str, has)) return simdjson::SUCCESS;
  has = true;
  if (auto e = intern_value(v, strings, str)) return e;
  num = kSyntheticIdBase + str;
  return simdjson::SUCCESS;
}

// id2: {"local": x} or {"global": x}.
error_code read_id2(ondemand::value& v, StringTable& strings, ChromeEvent& ev) {
  ondemand::object obj;
  if (v.get_object().get(obj)) return simdjson::SUCCESS;  // not an object: ignored
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    const char* k = f.key().raw();
    if (key_is(k, "local") || key_is(k, "global")) {
      ev.id_local = k[0] == 'l';
      if (auto e = intern_value(f.value(), strings, ev.id)) return e;
    }
  }
  return simdjson::SUCCESS;
}

// args of M events: "name" and "sort_index".
error_code read_args(ondemand::value& v, StringTable& strings, ChromeEvent& ev) {
  ondemand::object obj;
  if (v.get_object().get(obj)) return simdjson::SUCCESS;  // args that are not an object: ignored
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    const char* k = f.key().raw();
    if (key_is(k, "name")) {
      if (auto e = intern_value(f.value(), strings, ev.arg_name)) return e;
    } else if (key_is(k, "sort_index")) {
      Token t = classify(f.value().raw_json_token());
      ev.has_sort_index = parse_decimal_scaled(t.text, 0, ev.sort_index) == DecimalStatus::kOk;
    }
  }
  return simdjson::SUCCESS;
}

// --- the structural walk (decode_structural) ---
// s[idx[i]] is the first byte of the i-th structural token: {}[]:, or the start of a scalar.

constexpr uint32_t kMaxWalkDepth = 64;  // deeper values are left to On-Demand

bool is_open(char c) { return c == '{' || c == '['; }

// j at '{' or '[': one past its matching close, or 0 (cut, mismatched, too deep).
uint32_t skip_container(const char* s, const uint32_t* idx, uint32_t n, uint32_t j) {
  uint64_t kinds = 0;  // bit d: the container at depth d is an array
  uint32_t depth = 0;
  for (; j < n; ++j) {
    const char c = s[idx[j]];
    if (is_open(c)) {
      if (depth == kMaxWalkDepth) return 0;
      kinds = (kinds & ~(uint64_t{1} << depth)) | (uint64_t{c == '['} << depth);
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0 || ((kinds >> (depth - 1)) & 1) != (c == ']')) return 0;
      if (--depth == 0) return j + 1;
    }
  }
  return 0;
}

// i at '{': calls field(key, value index) for each member, which returns the index one past the
// value (0 = give up). Returns the index one past the object's '}', or 0.
template <typename F>
uint32_t walk_object(const char* s, const uint32_t* idx, uint32_t n, uint32_t i, F&& field) {
  if (++i >= n) return 0;
  if (s[idx[i]] == '}') return i + 1;
  for (;;) {
    if (i + 3 >= n || s[idx[i]] != '"' || s[idx[i + 1]] != ':') return 0;
    const char v = s[idx[i + 2]];
    if (v == ',' || v == ':' || v == '}' || v == ']') return 0;
    const uint32_t next = field(s + idx[i] + 1, i + 2);
    if (next == 0 || next >= n) return 0;
    const char sep = s[idx[next]];
    if (sep == '}') return next + 1;
    if (sep != ',') return 0;
    i = next + 1;
  }
}

// One past a member's value at vi: the next token for a scalar, past the close for a container.
uint32_t value_end(const char* s, const uint32_t* idx, uint32_t n, uint32_t vi) {
  return is_open(s[idx[vi]]) ? skip_container(s, idx, n, vi) : vi + 1;
}

}  // namespace

DecimalStatus parse_micros(std::string_view token, int64_t& out_ns) {
  Token t = classify(token);
  if (t.escaped) return DecimalStatus::kInvalid;
  return parse_decimal_scaled(t.text, 3, out_ns);
}

// A string that usually equals the previous event's (ph "X", cat "app") skips the hash lookup.
bool EventDecoder::cache_hit(std::string_view raw, const Cached& cache, StrId& out) {
  if (raw.size() >= cache.text.size() && raw.substr(0, cache.text.size()) == cache.text &&
      !cache.text.empty() &&
      (raw.size() == cache.text.size() || raw[cache.text.size()] == ' ' ||
       raw[cache.text.size()] == '\n' || raw[cache.text.size()] == '\r' ||
       raw[cache.text.size()] == '\t')) {
    out = cache.id;
    return true;
  }
  return false;
}

void EventDecoder::cache_set(std::string_view raw, Cached& cache, StrId id) {
  Token t = classify(raw);
  cache.text.assign(raw.data(), t.text.data() + t.text.size() + (t.is_string ? 1 : 0) - raw.data());
  cache.id = id;
}

error_code EventDecoder::intern_cached(ondemand::value& v, Cached& cache, StrId& out) {
  std::string_view raw = v.raw_json_token();
  if (cache_hit(raw, cache, out)) return simdjson::SUCCESS;
  if (auto e = intern_value(v, strings_, out)) return e;
  cache_set(raw, cache, out);
  return simdjson::SUCCESS;
}

bool EventDecoder::intern_cached_plain(std::string_view raw, Cached& cache, StrId& out) {
  if (cache_hit(raw, cache, out)) return true;
  if (!intern_plain(raw, strings_, out)) return false;
  cache_set(raw, cache, out);
  return true;
}

// The name cache's slot for a raw token (trailing whitespace trimmed into `raw`).
EventDecoder::Cached& EventDecoder::name_slot(std::string_view& raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t'))
    raw.remove_suffix(1);
  uint64_t head = 0, tail = 0;
  std::memcpy(&head, raw.data(), std::min<size_t>(8, raw.size()));
  if (raw.size() >= 8) std::memcpy(&tail, raw.data() + raw.size() - 8, 8);
  uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ raw.size();
  return names_[(h >> 40) & (kNameSlots - 1)];
}

error_code EventDecoder::intern_name(ondemand::value& v, StrId& out) {
  std::string_view raw = v.raw_json_token();
  Cached& slot = name_slot(raw);
  if (slot.text == raw && !raw.empty()) {
    out = slot.id;
    return simdjson::SUCCESS;
  }
  if (auto e = intern_value(v, strings_, out)) return e;
  slot.text.assign(raw);
  slot.id = out;
  return simdjson::SUCCESS;
}

bool EventDecoder::intern_name_plain(std::string_view raw, StrId& out) {
  Cached& slot = name_slot(raw);
  if (slot.text == raw && !raw.empty()) {
    out = slot.id;
    return true;
  }
  if (!intern_plain(raw, strings_, out)) return false;
  slot.text.assign(raw);
  slot.id = out;
  return true;
}

// args: kept raw when an object (ChromeEvent::args_raw); metadata's name and sort_index read
// from it (the event's ph may come later, as in Chrome's alphabetical key order).
error_code EventDecoder::read_args_raw(ondemand::value& v, ChromeEvent& ev) {
  ondemand::json_type type;
  if (auto e = v.type().get(type)) return e;
  if (type != ondemand::json_type::object) return simdjson::SUCCESS;  // ignored
  ondemand::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  if (auto e = obj.raw_json().get(ev.args_raw)) return e;
  if (ev.ph0 != 0 && ev.ph0 != 'M') return simdjson::SUCCESS;
  // The raw text lies inside a padded buffer (the window or the input), so it can be parsed in
  // place with the padding simdjson needs.
  ondemand::document doc;
  if (auto e = args_parser_
                   .iterate(ev.args_raw.data(), ev.args_raw.size(),
                            ev.args_raw.size() + simdjson::SIMDJSON_PADDING)
                   .get(doc))
    return e;
  ondemand::value args;
  if (auto e = doc.get_value().get(args)) return e;
  return read_args(args, strings_, ev);
}

error_code EventDecoder::decode(ondemand::object obj, ChromeEvent& ev) {
  StringTable& strings = strings_;
  ev = ChromeEvent{};
  std::string_view ts_raw, dur_raw;
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    ev.empty = false;
    const char* k = f.key().raw();
    ondemand::value& v = f.value();
    error_code e = simdjson::SUCCESS;
    switch (k[0]) {
      case 'p':
        if (key_is(k, "ph")) {
          e = intern_cached(v, ph_, ev.ph);
          ev.ph0 = strings[ev.ph].empty() ? 0 : strings[ev.ph][0];
        } else if (key_is(k, "pid")) {
          e = read_id_number(v, strings, ev.pid, ev.pid_str, ev.has_pid);
        }
        break;
      case 't':
        if (key_is(k, "ts")) {
          ts_raw = v.raw_json_token();
          ev.has_ts = true;
        } else if (key_is(k, "tid")) {
          e = read_id_number(v, strings, ev.tid, ev.tid_str, ev.has_tid);
        }
        break;
      case 'd':
        if (key_is(k, "dur")) {
          dur_raw = v.raw_json_token();
          ev.has_dur = true;
        }
        break;
      case 'n':
        if (key_is(k, "name")) e = intern_name(v, ev.name);
        break;
      case 'c':
        if (key_is(k, "cat")) e = intern_cached(v, cat_, ev.cat);
        break;
      case 'i':
        if (key_is(k, "id")) e = intern_value(v, strings, ev.id);
        else if (key_is(k, "id2")) e = read_id2(v, strings, ev);
        break;
      case 's':
        if (key_is(k, "scope")) e = intern_value(v, strings, ev.scope);
        break;
      case 'a':
        if (key_is(k, "args")) e = read_args_raw(v, ev);
        break;
      default:
        break;
    }
    if (e) return e;
  }
  if (ev.has_ts) ev.ts_status = parse_micros(ts_raw, ev.ts_ns);
  if (ev.has_dur) ev.dur_status = parse_micros(dur_raw, ev.dur_ns);
  if (!ev.has_tid) ev.tid = ev.pid;
  return simdjson::SUCCESS;
}

uint32_t EventDecoder::decode_structural(const char* s, const uint32_t* idx, uint32_t n, uint32_t i,
                                         ChromeEvent& ev) {
  StringTable& strings = strings_;
  ev = ChromeEvent{};
  std::string_view ts_raw, dur_raw;
  auto raw = [&](uint32_t vi) { return std::string_view(s + idx[vi], idx[vi + 1] - idx[vi]); };
  auto field = [&](const char* k, uint32_t vi) -> uint32_t {
    ev.empty = false;
    const char c = s[idx[vi]];
    if (is_open(c)) {
      // Containers: args of metadata and id2 are read; a container under a key that wants a
      // scalar is left to On-Demand; anything else is skipped.
      if (c == '{' && key_is(k, "args") && (ev.ph0 == 0 || ev.ph0 == 'M')) {
        const uint32_t end =
            walk_object(s, idx, n, vi, [&](const char* ak, uint32_t avi) -> uint32_t {
              if (key_is(ak, "name") || key_is(ak, "sort_index")) {
                if (is_open(s[idx[avi]])) return 0;
                if (ak[0] == 'n') return intern_plain(raw(avi), strings, ev.arg_name) ? avi + 1 : 0;
                Token t = classify(raw(avi));
                ev.has_sort_index =
                    parse_decimal_scaled(t.text, 0, ev.sort_index) == DecimalStatus::kOk;
                return avi + 1;
              }
              return value_end(s, idx, n, avi);
            });
        if (end) ev.args_raw = std::string_view(s + idx[vi], idx[end - 1] + 1 - idx[vi]);
        return end;
      }
      if (c == '{' && key_is(k, "args")) {
        const uint32_t end = skip_container(s, idx, n, vi);
        if (end) ev.args_raw = std::string_view(s + idx[vi], idx[end - 1] + 1 - idx[vi]);
        return end;
      }
      if (c == '{' && key_is(k, "id2")) {
        return walk_object(s, idx, n, vi, [&](const char* ik, uint32_t ivi) -> uint32_t {
          if (key_is(ik, "local") || key_is(ik, "global")) {
            if (is_open(s[idx[ivi]])) return 0;
            ev.id_local = ik[0] == 'l';
            return intern_plain(raw(ivi), strings, ev.id) ? ivi + 1 : 0;
          }
          return value_end(s, idx, n, ivi);
        });
      }
      if (key_is(k, "ph") || key_is(k, "pid") || key_is(k, "tid") || key_is(k, "ts") ||
          key_is(k, "dur") || key_is(k, "name") || key_is(k, "cat") || key_is(k, "id") ||
          key_is(k, "scope"))
        return 0;
      return skip_container(s, idx, n, vi);
    }
    bool ok = true;
    switch (k[0]) {
      case 'p':
        if (key_is(k, "ph")) {
          ok = intern_cached_plain(raw(vi), ph_, ev.ph);
          ev.ph0 = !ok || strings[ev.ph].empty() ? 0 : strings[ev.ph][0];
        } else if (key_is(k, "pid")) {
          ok = read_id_plain(raw(vi), strings, ev.pid, ev.pid_str, ev.has_pid);
        }
        break;
      case 't':
        if (key_is(k, "ts")) {
          ts_raw = raw(vi);
          ev.has_ts = true;
        } else if (key_is(k, "tid")) {
          ok = read_id_plain(raw(vi), strings, ev.tid, ev.tid_str, ev.has_tid);
        }
        break;
      case 'd':
        if (key_is(k, "dur")) {
          dur_raw = raw(vi);
          ev.has_dur = true;
        }
        break;
      case 'n':
        if (key_is(k, "name")) ok = intern_name_plain(raw(vi), ev.name);
        break;
      case 'c':
        if (key_is(k, "cat")) ok = intern_cached_plain(raw(vi), cat_, ev.cat);
        break;
      case 'i':
        if (key_is(k, "id")) ok = intern_plain(raw(vi), strings, ev.id);
        break;
      case 's':
        if (key_is(k, "scope")) ok = intern_plain(raw(vi), strings, ev.scope);
        break;
      default:
        break;
    }
    return ok ? vi + 1 : 0;
  };
  const uint32_t end = walk_object(s, idx, n, i, field);
  if (end == 0) return 0;
  if (ev.has_ts) ev.ts_status = parse_micros(ts_raw, ev.ts_ns);
  if (ev.has_dur) ev.dur_status = parse_micros(dur_raw, ev.dur_ns);
  if (!ev.has_tid) ev.tid = ev.pid;
  return end;
}

}  // namespace perfkit
