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

// Interns a string value (or a scalar's text); unescapes only when the text has escapes.
error_code intern_value(ondemand::value& v, StringTable& strings, StrId& out) {
  Token t = classify(v.raw_json_token());
  if (t.escaped) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    out = strings.intern(s);
  } else {
    out = strings.intern(t.text);
  }
  return simdjson::SUCCESS;
}

// pid/tid: an integer, or a string that is an integer, or any other string (a synthetic id).
error_code read_id_number(ondemand::value& v, StringTable& strings, int64_t& num, StrId& str,
                          bool& has) {
  Token t = classify(v.raw_json_token());
  if (!t.is_string && t.text == "null") return simdjson::SUCCESS;
  has = true;
  if (!t.escaped && parse_decimal_scaled(t.text, 0, num) == DecimalStatus::kOk) return simdjson::SUCCESS;
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

}  // namespace

DecimalStatus parse_micros(std::string_view token, int64_t& out_ns) {
  Token t = classify(token);
  if (t.escaped) return DecimalStatus::kInvalid;
  return parse_decimal_scaled(t.text, 3, out_ns);
}

// A string that usually equals the previous event's (ph "X", cat "app") skips the hash lookup.
error_code EventDecoder::intern_cached(ondemand::value& v, Cached& cache, StrId& out) {
  std::string_view raw = v.raw_json_token();
  if (raw.size() >= cache.text.size() && raw.substr(0, cache.text.size()) == cache.text &&
      !cache.text.empty() &&
      (raw.size() == cache.text.size() || raw[cache.text.size()] == ' ' ||
       raw[cache.text.size()] == '\n' || raw[cache.text.size()] == '\r' ||
       raw[cache.text.size()] == '\t')) {
    out = cache.id;
    return simdjson::SUCCESS;
  }
  if (auto e = intern_value(v, strings_, out)) return e;
  Token t = classify(raw);
  cache.text.assign(raw.data(), t.text.data() + t.text.size() + (t.is_string ? 1 : 0) - raw.data());
  cache.id = out;
  return simdjson::SUCCESS;
}

error_code EventDecoder::intern_name(ondemand::value& v, StrId& out) {
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t'))
    raw.remove_suffix(1);
  uint64_t head = 0, tail = 0;
  std::memcpy(&head, raw.data(), std::min<size_t>(8, raw.size()));
  if (raw.size() >= 8) std::memcpy(&tail, raw.data() + raw.size() - 8, 8);
  uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ raw.size();
  Cached& slot = names_[(h >> 40) & (kNameSlots - 1)];
  if (slot.text == raw && !raw.empty()) {
    out = slot.id;
    return simdjson::SUCCESS;
  }
  if (auto e = intern_value(v, strings_, out)) return e;
  slot.text.assign(raw);
  slot.id = out;
  return simdjson::SUCCESS;
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
        if (key_is(k, "args") && (ev.ph0 == 0 || ev.ph0 == 'M')) e = read_args(v, strings, ev);
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

}  // namespace perfkit
