#include "formats/chrome/event_windows.h"

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

bool EventWindows::parse_events(std::string_view text) {
  events_.clear();
  pending_non_objects_ = 0;
  error_offset_ = 0;
  const size_t len = text.size() + 2;
  if (scratch_cap_ < len + simdjson::SIMDJSON_PADDING) {
    scratch_cap_ = (len + simdjson::SIMDJSON_PADDING) * 5 / 4;
    scratch_.reset(new char[scratch_cap_]);
  }
  char* buf = scratch_.get();
  buf[0] = '[';
  std::memcpy(buf + 1, text.data(), text.size());
  buf[len - 1] = ']';
  std::memset(buf + len, 0, simdjson::SIMDJSON_PADDING);
  const char* base = buf + 1;  // offsets are reported relative to text

  ondemand::document doc;
  if ((error_ = parser_.iterate(buf, len, scratch_cap_).get(doc))) return false;
  ondemand::array arr;
  if ((error_ = doc.get_array().get(arr))) return false;
  for (auto element : arr) {
    ondemand::value v;
    if ((error_ = element.get(v))) return false;
    if (!decode_value(v, base)) return false;
  }
  if (!at_end(doc)) return false;
  return true;
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
