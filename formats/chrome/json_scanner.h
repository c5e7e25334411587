// A byte-at-a-time JSON structure scanner for the slow paths of the Chrome reader: it checks
// brackets, strings, colons and commas (scalars are checked only when read, as simdjson
// On-Demand does), finds the events array, and tells where a cut-short input stops being
// complete. The fast path never runs it over the events; it runs on the few bytes around them,
// on one JSON line, or (once) when the fast path failed and we need to know why.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace perfkit {

class JsonScanner {
 public:
  enum class Status { kComplete, kCut, kError, kAtEvents };
  static constexpr size_t kNone = static_cast<size_t>(-1);
  static constexpr size_t kMaxDepth = 1024;

  // A member of the top-level object other than the events: key and value as raw JSON text.
  struct Member {
    std::string_view key;    // without quotes, escapes left as written
    std::string_view value;  // the raw JSON value
    size_t key_offset = 0;
  };

  explicit JsonScanner(std::string_view text) : text_(text) {}

  // Scans from `pos` (the start of the document, or where resume_in_events left off) to the end
  // of the text. With stop_at_events, returns kAtEvents right after the '[' that opens the events
  // array (the top-level array, or the value of "traceEvents").
  Status run(size_t pos, bool stop_at_events);
  // Continues inside the events array at `pos`: after a complete event, or (first) right after '['.
  void resume_in_events(bool top_is_object, bool first);

  // Record an event end about every `bytes` bytes (see marks()).
  void set_mark_interval(size_t bytes) { mark_interval_ = bytes; }

  // --- results ---
  const std::vector<size_t>& marks() const { return marks_; }  // event ends, in order
  size_t error_offset() const { return error_offset_; }
  const std::string& error() const { return error_; }
  size_t events_begin() const { return events_begin_; }     // just after '['
  size_t events_end() const { return events_end_; }         // at ']', kNone if never closed
  size_t last_event_end() const { return last_event_end_; } // just after the last complete event
  int64_t events_completed() const { return events_completed_; }
  size_t partial_event_begin() const { return partial_event_begin_; }  // kNone if none
  size_t boundary() const { return boundary_; }   // the last place the input may be closed
  std::string closers() const;                     // brackets that close it there
  bool top_is_object() const { return !top_is_array_; }
  const std::vector<Member>& members() const { return members_; }

 private:
  enum class Expect : uint8_t {
    kTopValue, kValue, kFirstValueOrClose, kValueAfterComma,
    kFirstKeyOrClose, kKeyAfterComma, kColon, kCommaOrClose, kEnd
  };
  Status fail(size_t at, std::string msg);
  bool scan_string(size_t& i);  // i at the opening quote; false when the text ends inside it
  void open(char c, size_t i);
  void close(size_t i);
  void value_begin(size_t i);
  void value_done(size_t end);
  size_t shallow_depth() const { return top_is_array_ ? 1 : 2; }

  std::string_view text_;
  std::string stack_;
  Expect expect_ = Expect::kTopValue;
  bool top_is_array_ = false;
  bool in_events_ = false;
  size_t events_depth_ = 0;
  size_t events_begin_ = kNone, events_end_ = kNone, last_event_end_ = kNone;
  int64_t events_completed_ = 0;
  size_t partial_event_begin_ = kNone;
  size_t boundary_ = 0;
  std::string boundary_stack_;
  std::string_view key_;
  size_t key_offset_ = 0, member_value_begin_ = 0;
  bool pending_events_ = false;
  std::vector<Member> members_;
  size_t mark_interval_ = 0, last_mark_ = 0;
  std::vector<size_t> marks_;
  size_t error_offset_ = 0;
  std::string error_;
};

}  // namespace perfkit
