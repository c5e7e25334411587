// One Chrome trace event as decoded from JSON, before it is matched into spans: plain values,
// strings interned into the profile's table. Decoding fills a reusable buffer of these so a
// window of events can be thrown away when the window turns out to be cut badly.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include <simdjson.h>

#include "lib/decimal_time.h"
#include "lib/profile.h"

namespace perfkit {

// Ids of string pids/tids ("Spans", "Traces" in Kineto) are this base plus the string's id.
constexpr int64_t kSyntheticIdBase = int64_t{1} << 48;

struct ChromeEvent {
  StrId ph = 0;  // the whole ph string, interned; 0 when the event has none
  char ph0 = 0;  // its first character
  bool empty = true;       // no fields at all: the `{}` sentinel
  bool has_pid = false, has_tid = false, id_local = false, has_sort_index = false;
  DecimalStatus ts_status = DecimalStatus::kInvalid;  // kInvalid also when missing
  DecimalStatus dur_status = DecimalStatus::kInvalid;
  bool has_ts = false, has_dur = false;
  StrId name = 0, cat = 0, scope = 0, id = 0, arg_name = 0;
  StrId pid_str = 0, tid_str = 0;  // set when pid/tid were non-numeric strings
  int64_t pid = 0, tid = 0;
  int64_t ts_ns = 0, dur_ns = 0;
  int64_t sort_index = 0;
  // The raw JSON of "args" when it is an object: a view into the buffer being decoded, valid
  // until the event is committed (TraceBuilder::add copies what it keeps).
  std::string_view args_raw;
};

// Decodes event objects, interning their strings (with small caches for the strings that repeat
// from one event to the next: ph, cat).
class EventDecoder {
 public:
  explicit EventDecoder(StringTable& strings) : strings_(strings) {}
  // Returns a simdjson error only for malformed JSON; bad values (unparsable ts, NaN) are
  // recorded in the event for the builder to count.
  simdjson::error_code decode(simdjson::ondemand::object obj, ChromeEvent& ev);
  // The same decoding straight from simdjson's stage 1: s is the window, idx its n structural
  // indexes, i the index of the event's '{'. Returns the index one past its '}', or 0 when the
  // event holds anything unusual (an escape in a string it keeps, a container where a scalar is
  // expected, an odd structure): then the caller decodes the window with decode() instead,
  // which interns the same strings in the same order and decides errors as before.
  uint32_t decode_structural(const char* s, const uint32_t* idx, uint32_t n, uint32_t i,
                             ChromeEvent& ev);

 private:
  struct Cached {
    std::string text;
    StrId id = 0;
  };
  static bool cache_hit(std::string_view raw, const Cached& cache, StrId& out);
  static void cache_set(std::string_view raw, Cached& cache, StrId id);
  Cached& name_slot(std::string_view& raw);
  simdjson::error_code intern_cached(simdjson::ondemand::value& v, Cached& cache, StrId& out);
  simdjson::error_code intern_name(simdjson::ondemand::value& v, StrId& out);
  bool intern_cached_plain(std::string_view raw, Cached& cache, StrId& out);
  bool intern_name_plain(std::string_view raw, StrId& out);
  simdjson::error_code read_args_raw(simdjson::ondemand::value& v, ChromeEvent& ev);

  StringTable& strings_;
  simdjson::ondemand::parser args_parser_;  // re-reads an args object decode() took raw
  Cached ph_, cat_;
  // Names repeat across events: a direct-mapped cache by a cheap hash of the raw token saves
  // the string table's full hash and probe on most events.
  static constexpr size_t kNameSlots = 4096;
  std::vector<Cached> names_ = std::vector<Cached>(kNameSlots);
};

// Decodes ts-like text ("1.5", "\"12.5\"") in microseconds into nanoseconds.
DecimalStatus parse_micros(std::string_view token, int64_t& out_ns);

}  // namespace perfkit
