// simdjson over windows of a Chrome trace: a run of complete events copied into a padded scratch
// buffer as "[...]" (so memory stays bounded by the window, not the file), or one JSON line
// parsed in place. A window is first walked over stage 1's structural indexes (fast, plain
// events only), and parsed with On-Demand when the walk gives up. Decoded events wait in a buffer until the caller commits them, so a
// window that turns out to be cut in the wrong place costs nothing but the parse.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "formats/chrome/chrome_event.h"
#include "formats/chrome/structural_index.h"
#include "formats/chrome/trace_builder.h"

namespace perfkit {

// Parsed input is given back (InputBuffer::release) in steps of this many bytes.
constexpr size_t kReleaseBytes = 8 << 20;

class EventWindows {
 public:
  explicit EventWindows(StringTable& strings) : strings_(strings), decoder_(strings) {}
  // Parses "[" + text + "]", where text is events separated by commas. False on any JSON error:
  // error() and error_offset() (relative to text) say what and where.
  bool parse_events(std::string_view text);
  // Parses JSON lines (blank lines skipped) as one array: a fast path for a window of lines;
  // offsets of errors are meaningless here (retry line by line to place one).
  bool parse_lines(std::string_view text);
  // Parses one event object in place; `capacity` counts readable bytes from data (>= len + 64).
  bool parse_object(const char* data, size_t len, size_t capacity);
  // Hands the decoded events to the builder, in order.
  void commit(TraceBuilder& builder);

  const std::vector<ChromeEvent>& pending() const { return events_; }
  std::string error() const { return simdjson::error_message(error_); }
  size_t error_offset() const { return error_offset_; }
  int64_t non_objects() const { return non_objects_; }

 private:
  char* scratch(size_t len);  // at least len + padding bytes
  bool parse_scratch(size_t len, bool walked);
  bool walk(const char* buf, size_t len, bool bracketed);
  bool at_end(simdjson::ondemand::document& doc);
  bool decode_value(simdjson::ondemand::value v, const char* base);

  StringTable& strings_;
  EventDecoder decoder_;
  simdjson::ondemand::parser parser_;
  StructuralIndex stage1_;  // for walk
  std::unique_ptr<char[]> scratch_;
  size_t scratch_cap_ = 0;
  std::vector<ChromeEvent> events_;
  simdjson::error_code error_ = simdjson::SUCCESS;
  size_t error_offset_ = 0;
  int64_t non_objects_ = 0;  // array elements that are not objects (skipped), committed count
  int64_t pending_non_objects_ = 0;
};

}  // namespace perfkit
