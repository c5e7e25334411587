#include "formats/chrome/json_scanner.h"

#include <algorithm>

#include <fmt/format.h>

namespace perfkit {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool ends_atom(char c) {
  return is_space(c) || c == ',' || c == ':' || c == '[' || c == ']' || c == '{' || c == '}' ||
         c == '"';
}
std::string show(char c) {
  if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
}

}  // namespace

std::string JsonScanner::closers() const {
  std::string out;
  for (auto it = boundary_stack_.rbegin(); it != boundary_stack_.rend(); ++it)
    out += *it == '{' ? '}' : ']';
  return out;
}

JsonScanner::Status JsonScanner::fail(size_t at, std::string msg) {
  error_offset_ = at;
  error_ = std::move(msg);
  return Status::kError;
}

void JsonScanner::resume_in_events(bool top_is_object, bool first) {
  top_is_array_ = !top_is_object;
  stack_ = top_is_object ? "{[" : "[";
  events_depth_ = stack_.size();
  in_events_ = true;
  events_begin_ = 0;
  last_mark_ = 0;  // the events array is known; a second "traceEvents" is just a member
  expect_ = first ? Expect::kFirstValueOrClose : Expect::kCommaOrClose;
  boundary_stack_ = stack_;
}

bool JsonScanner::scan_string(size_t& i) {
  const size_t n = text_.size();
  for (size_t j = i + 1; j < n; ++j) {
    char c = text_[j];
    if (c == '\\') {
      ++j;
    } else if (c == '"') {
      i = j;
      return true;
    }
  }
  i = n;
  return false;
}

void JsonScanner::value_begin(size_t i) {
  const size_t depth = stack_.size();
  if (in_events_ && depth == events_depth_) partial_event_begin_ = i;
  if (depth == 1 && !top_is_array_) member_value_begin_ = i;
}

void JsonScanner::value_done(size_t end) {
  const size_t depth = stack_.size();
  if (in_events_ && depth == events_depth_) {
    ++events_completed_;
    last_event_end_ = end;
    if (mark_interval_ && end - last_mark_ >= mark_interval_) {
      marks_.push_back(end);
      last_mark_ = end;
    }
    partial_event_begin_ = kNone;
  }
  if (depth == 1 && !top_is_array_ && !pending_events_)
    members_.push_back(
        Member{key_, text_.substr(member_value_begin_, end - member_value_begin_), key_offset_});
  pending_events_ = false;
  if (depth <= shallow_depth()) {
    boundary_ = end;
    boundary_stack_ = stack_;
  }
  expect_ = depth == 0 ? Expect::kEnd : Expect::kCommaOrClose;
}

void JsonScanner::open(char c, size_t i) {
  value_begin(i);
  if (stack_.empty()) top_is_array_ = c == '[';
  stack_.push_back(c);
  const bool events = c == '[' && ((stack_.size() == 1) ||
                                   (stack_.size() == 2 && !top_is_array_ && key_ == "traceEvents" &&
                                    events_begin_ == kNone));
  if (events) {
    in_events_ = true;
    events_depth_ = stack_.size();
    events_begin_ = i + 1;
    if (stack_.size() == 2) pending_events_ = true;  // not a member to keep
  }
  if (stack_.size() <= shallow_depth()) {
    boundary_ = i + 1;
    boundary_stack_ = stack_;
  }
  expect_ = c == '{' ? Expect::kFirstKeyOrClose : Expect::kFirstValueOrClose;
}

void JsonScanner::close(size_t i) {
  if (in_events_ && stack_.size() == events_depth_) {
    in_events_ = false;
    events_end_ = i;
    pending_events_ = events_depth_ == 2;
  }
  stack_.pop_back();
  value_done(i + 1);
}

JsonScanner::Status JsonScanner::run(size_t pos, bool stop_at_events) {
  const size_t n = text_.size();
  last_mark_ = std::max(last_mark_, pos);
  for (size_t i = pos; i < n; ++i) {
    const char c = text_[i];
    if (is_space(c)) continue;
    switch (expect_) {
      case Expect::kFirstKeyOrClose:
      case Expect::kKeyAfterComma:
        if (c == '"') {
          size_t end = i;
          if (!scan_string(end)) return Status::kCut;
          if (stack_.size() == 1) key_ = text_.substr(i + 1, end - i - 1), key_offset_ = i;
          i = end;
          expect_ = Expect::kColon;
        } else if (c == '}') {
          if (expect_ == Expect::kKeyAfterComma && stack_.size() > shallow_depth())
            return fail(i, "trailing comma before '}'");
          close(i);
        } else {
          return fail(i, fmt::format("expected a quoted key or '}}', got {}", show(c)));
        }
        break;
      case Expect::kColon:
        if (c != ':') return fail(i, fmt::format("expected ':' after a key, got {}", show(c)));
        expect_ = Expect::kValue;
        break;
      case Expect::kCommaOrClose:
        if (c == ',') {
          expect_ = stack_.back() == '{' ? Expect::kKeyAfterComma : Expect::kValueAfterComma;
        } else if ((c == '}' && stack_.back() == '{') || (c == ']' && stack_.back() == '[')) {
          close(i);
        } else {
          return fail(i, fmt::format("expected ',' or '{}', got {}",
                                     stack_.back() == '{' ? '}' : ']', show(c)));
        }
        break;
      case Expect::kEnd:
        if (c == '\0') break;  // zero padding some writers leave
        return fail(i, fmt::format("unexpected {} after the end of the JSON value", show(c)));
      default:  // a value is expected
        if (c == ']' && (expect_ == Expect::kFirstValueOrClose ||
                         (expect_ == Expect::kValueAfterComma && stack_.size() <= shallow_depth()))) {
          close(i);
        } else if (c == '{' || c == '[') {
          if (stack_.size() >= kMaxDepth) return fail(i, "JSON nested more than 1024 deep");
          open(c, i);
          if (stop_at_events && in_events_ && events_begin_ == i + 1) return Status::kAtEvents;
        } else if (c == '"') {
          value_begin(i);
          if (!scan_string(i)) return Status::kCut;
          value_done(i + 1);
        } else if (c == ']' || c == '}' || c == ',' || c == ':') {
          return fail(i, fmt::format("expected a value, got {}", show(c)));
        } else {
          value_begin(i);
          size_t j = i;
          while (j < n && !ends_atom(text_[j])) ++j;
          if (j == n && !stack_.empty()) return Status::kCut;  // a number may be cut short
          i = j - 1;
          value_done(j);
        }
        break;
    }
  }
  if (expect_ == Expect::kEnd) return Status::kComplete;
  if (stack_.empty() && expect_ == Expect::kTopValue) return fail(n, "no JSON value");
  return Status::kCut;
}

}  // namespace perfkit
