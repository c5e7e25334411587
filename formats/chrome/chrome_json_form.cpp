// The array and object forms. The events array is parsed in windows of whole events found by
// trying candidate boundaries ('}' followed by ',' or ']') and letting simdjson confirm them;
// only the few bytes before and after the events, and (once) a tail that failed to parse, go
// through the byte scanner, which decides between "cut short" (salvage) and "syntax error".
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "formats/chrome/chrome_forms.h"
#include "lib/decimal_time.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit::chrome {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The end (one past '}') of the last event in [lo, hi) that is followed by ',' or ']', or npos.
size_t find_candidate(std::string_view text, size_t lo, size_t hi) {
  while (hi > lo) {
    const void* hit = memrchr(text.data() + lo, '}', hi - lo);
    if (!hit) return std::string_view::npos;
    size_t at = static_cast<const char*>(hit) - text.data();
    size_t j = at + 1;
    while (j < text.size() && is_space(text[j])) ++j;
    if (j < text.size() && (text[j] == ',' || text[j] == ']')) return at + 1;
    hi = at;
  }
  return std::string_view::npos;
}

class JsonFormReader {
 public:
  JsonFormReader(const InputBuffer& in, Profile& p, TraceBuilder& builder, bool object_form,
                 SampledMembers& sampled)
      : in_(in), text_(in.view()), p_(p), builder_(builder), object_form_(object_form),
        windows_(p.strings), sampled_(sampled), tick_(in.progress) {}
  void read();

 private:
  size_t fast_events(size_t pos, bool& first);
  void parse_or_throw(size_t begin, const std::vector<size_t>& marks, size_t end);
  void commit(size_t bytes);
  void release(size_t upto);
  void apply_members(const std::vector<JsonScanner::Member>& members);
  [[noreturn]] void fail(size_t at, const std::string& msg) {
    throw InputError::at_byte(in_.path, at, msg);
  }

  const InputBuffer& in_;
  std::string_view text_;
  Profile& p_;
  TraceBuilder& builder_;
  bool object_form_;
  EventWindows windows_;
  SampledMembers& sampled_;
  size_t released_ = 0;  // bytes before this were given back to the input (see release)
  ProgressTicker tick_;
};

void JsonFormReader::commit(size_t bytes) {
  builder_.size_spans(windows_.pending().size(), bytes, text_.size());
  windows_.commit(builder_);
}

// Parsed text is not read again (only on errors, which re-read it correctly): give it back.
void JsonFormReader::release(size_t upto) {
  if (upto < released_ + kReleaseBytes) return;
  in_.release(released_, upto);
  released_ = upto;
}

// Parses windows of whole events from pos. Returns where it stopped: at the ']' closing the
// events array, or at the end of the last event it could confirm (the scanner takes over: the
// input is cut, malformed, or has an event larger than a window).
size_t JsonFormReader::fast_events(size_t pos, bool& first) {
  const size_t n = text_.size();
  while (true) {
    size_t q = skip_bom_and_space(text_, pos);
    if (!first && q < n && text_[q] == ',') q = skip_bom_and_space(text_, q + 1);
    if (q >= n) return pos;
    if (text_[q] == ']') return q;
    size_t c = find_candidate(text_, q, std::min(n, q + kWindowBytes));
    bool done = false;
    for (int tries = 0; c != std::string_view::npos && tries < 8 && !done; ++tries) {
      if (windows_.parse_events(text_.substr(q, c - q))) {
        commit(c - q);
        release(c);
        tick_.at(c);
        pos = c;
        first = false;
        done = true;
      } else {
        c = find_candidate(text_, q, c - 1);
      }
    }
    if (!done) return pos;
  }
}

// The scanner vouched for the structure of [begin, end) and marked event ends in it: parse the
// windows between marks; a simdjson error now is a real one (a bad escape, bad UTF-8).
void JsonFormReader::parse_or_throw(size_t begin, const std::vector<size_t>& marks, size_t end) {
  auto parse = [&](size_t from, size_t to) {
    size_t q = skip_bom_and_space(text_, from);
    if (q < to && text_[q] == ',') q = skip_bom_and_space(text_, q + 1);
    if (q >= to) return;
    if (!windows_.parse_events(text_.substr(q, to - q)))
      fail(q + windows_.error_offset(), "bad event: " + windows_.error());
    commit(to - q);
    tick_.at(to);
  };
  for (size_t mark : marks) {
    if (mark <= begin || mark > end) continue;
    parse(begin, mark);
    begin = mark;
  }
  parse(begin, end);
}

void JsonFormReader::apply_members(const std::vector<JsonScanner::Member>& members) {
  for (const auto& m : members) {
    std::string_view v = m.value;
    auto unquoted = [&] {
      return v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
    };
    if (m.key == "displayTimeUnit") {
      p_.display_time_unit = std::string(unquoted());
    } else if (m.key == "beginningOfTime") {
      int64_t ns = 0;
      if (parse_micros(v, ns) == DecimalStatus::kOk) p_.meta.time_ns = ns;
    } else if (m.key == "stackFrames" || m.key == "samples") {
      std::string_view& slot = m.key == "samples" ? sampled_.samples : sampled_.stack_frames;
      if (slot.empty()) slot = v;
      else p_.warn(fmt::format("a second {} at byte {} ignored", m.key, m.key_offset));
    } else if (m.key == "systemTraceEvents" || m.key == "powerTraceAsString") {
      p_.warn(fmt::format("{} ignored: not trace events", m.key));
    } else if (m.key == "traceEvents") {
      p_.warn(fmt::format("a second traceEvents at byte {} ignored", m.key_offset));
    } else {
      std::string shown(v.substr(0, 200));
      if (v.size() > 200) shown += "...";
      p_.meta.comments.push_back(p_.strings.intern(fmt::format("{}: {}", m.key, shown)));
    }
  }
}

void JsonFormReader::read() {
  const size_t start = skip_bom_and_space(text_, 0);
  JsonScanner head(text_);
  auto status = head.run(start, /*stop_at_events=*/true);
  if (status == JsonScanner::Status::kError) fail(head.error_offset(), head.error());
  if (status != JsonScanner::Status::kAtEvents) {
    apply_members(head.members());
    if (status == JsonScanner::Status::kCut)
      p_.warn(fmt::format("trace cut short at byte {}, before any traceEvents", head.boundary()));
    else
      p_.warn("no traceEvents array: the trace holds no events");
    return;
  }
  bool first = true;
  const size_t pos = fast_events(head.events_begin(), first);
  JsonScanner tail(text_);
  tail.resume_in_events(object_form_, first);
  tail.set_mark_interval(kWindowBytes);
  status = tail.run(pos, /*stop_at_events=*/false);
  if (status == JsonScanner::Status::kError) fail(tail.error_offset(), tail.error());
  if (tail.events_completed() > 0) parse_or_throw(pos, tail.marks(), tail.last_event_end());
  apply_members(head.members());
  apply_members(tail.members());
  if (tail.events_end() == JsonScanner::kNone) {
    const bool partial = tail.partial_event_begin() != JsonScanner::kNone;
    const size_t at = partial ? tail.partial_event_begin()
                              : (tail.events_completed() ? tail.last_event_end() : pos);
    p_.warn(cut_message(at, partial ? 1 : 0, builder_.events(), "event"), 1);
  } else if (status == JsonScanner::Status::kCut) {
    p_.warn(fmt::format("trace cut short at byte {}, after its events: all {} events kept",
                        tail.boundary(), builder_.events()));
  }
  if (windows_.non_objects())
    p_.warn("entries of the events array that are not objects skipped", windows_.non_objects());
}

}  // namespace

void read_json_form(const InputBuffer& in, Profile& p, TraceBuilder& builder, bool object_form,
                    SampledMembers& sampled) {
  JsonFormReader(in, p, builder, object_form, sampled).read();
}

}  // namespace perfkit::chrome
