#include "formats/chrome/event_windows.h"

#include <algorithm>
#include <cstring>

namespace perfkit {

namespace ondemand = simdjson::ondemand;

// True when nothing but whitespace follows the document's value.
bool EventWindows::at_end(ondemand::document& doc) {
  const char* loc = nullptr;
  if (doc.current_location().get(loc) != simdjson::SUCCESS) return true;
  error_ = simdjson::TRAILING_CONTENT;
  return false;
}

bool EventWindows::decode_value(ondemand::value v, const char* base) {
  const char* at = v.raw_json_token().data();
  error_offset_ = static_cast<size_t>(at - base);
  ondemand::json_type type;
  if ((error_ = v.type().get(type))) return false;
  if (type != ondemand::json_type::object) {
    ++pending_non_objects_;
    return true;  // skipped by the caller's iteration
  }
  ondemand::object obj;
  if ((error_ = v.get_object().get(obj))) return false;
  events_.emplace_back();
  error_ = decoder_.decode(obj, events_.back());
  return error_ == simdjson::SUCCESS;
}

char* EventWindows::scratch(size_t len) {
  if (scratch_cap_ < len + simdjson::SIMDJSON_PADDING) {
    scratch_cap_ = (len + simdjson::SIMDJSON_PADDING) * 5 / 4;
    scratch_.reset(new char[scratch_cap_]);
  }
  return scratch_.get();
}

bool EventWindows::parse_events(std::string_view text) {
  // Plain events are walked in place; anything else is copied as "[...]" for On-Demand.
  events_.clear();
  if (walk(text.data(), text.size(), /*bracketed=*/false)) {
    pending_non_objects_ = 0;
    error_offset_ = 0;
    return true;
  }
  const size_t len = text.size() + 2;
  char* buf = scratch(len);
  buf[0] = '[';
  std::memcpy(buf + 1, text.data(), text.size());
  buf[len - 1] = ']';
  return parse_scratch(len, /*walked=*/true);
}

bool EventWindows::parse_lines(std::string_view text) {
  char* buf = scratch(text.size() + 2);
  size_t len = 0;
  buf[len++] = '[';
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    size_t b = pos, e = end;
    while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r')) ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) --e;
    if (b < e) {
      if (len > 1) buf[len++] = ',';
      std::memcpy(buf + len, text.data() + b, e - b);
      len += e - b;
    }
    pos = end + 1;
  }
  buf[len++] = ']';
  return parse_scratch(len, /*walked=*/false);
}

// The fast path: stage 1, then EventDecoder::decode_structural per event, over events separated
// by commas (in "[...]" when bracketed). False (nothing kept) when anything is unusual;
// On-Demand then parses the window and decides.
bool EventWindows::walk(const char* buf, size_t len, bool bracketed) {
  if (!stage1_.run(buf, len)) return false;
  const uint32_t* idx = stage1_.indexes();
  const uint32_t n = stage1_.size();
  uint32_t i = 0;
  if (bracketed) {
    if (n < 2 || buf[idx[0]] != '[') return false;
    i = 1;
    if (buf[idx[i]] == ']') return n == 2;
  } else if (n == 0) {
    return false;
  }
  for (;;) {
    if (buf[idx[i]] != '{') break;
    events_.emplace_back();
    const uint32_t next = decoder_.decode_structural(buf, idx, n, i, events_.back());
    if (next == 0) break;
    if (!bracketed && next == n) return true;
    if (next >= n) break;
    if (buf[idx[next]] == ']') {
      if (bracketed && next + 1 == n) return true;
      break;
    }
    if (buf[idx[next]] != ',') break;
    i = next + 1;
    if (i >= n) break;
  }
  events_.clear();
  return false;
}
// Parses the array of events in the scratch buffer (its first `len` bytes).
bool EventWindows::parse_scratch(size_t len, bool walked) {
  events_.clear();
  pending_non_objects_ = 0;
  error_offset_ = 0;
  char* buf = scratch_.get();
  std::memset(buf + len, 0, simdjson::SIMDJSON_PADDING);
  if (!walked && walk(buf, len, /*bracketed=*/true)) return true;
  const char* base = buf + 1;  // offsets are reported relative to the text after '['

  ondemand::document doc;
  if ((error_ = parser_.iterate(buf, len, scratch_cap_).get(doc))) return false;
  ondemand::array arr;
  if ((error_ = doc.get_array().get(arr))) return false;
  for (auto element : arr) {
    ondemand::value v;
    if ((error_ = element.get(v))) return false;
    if (!decode_value(v, base)) return false;
  }
  return at_end(doc);
}

bool EventWindows::parse_object(const char* data, size_t len, size_t capacity) {
  events_.clear();
  pending_non_objects_ = 0;
  error_offset_ = 0;
  ondemand::document doc;
  if ((error_ = parser_.iterate(data, len, capacity).get(doc))) return false;
  ondemand::value v;
  if ((error_ = doc.get_value().get(v))) return false;
  if (!decode_value(v, data)) return false;
  if (!at_end(doc)) return false;
  return true;
}

void EventWindows::commit(TraceBuilder& builder) {
  for (const ChromeEvent& ev : events_) builder.add(ev);
  events_.clear();
  non_objects_ += pending_non_objects_;
  pending_non_objects_ = 0;
}

}  // namespace perfkit
