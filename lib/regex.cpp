#include "lib/regex.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "lib/errors.h"

namespace perfkit {

Regex::Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

Regex Regex::compile(std::string_view pattern) {
  Regex r;
  if (pattern.size() > kMaxPatternBytes) {
    r.error_ = fmt::format("pattern of {} bytes is longer than the {} bytes allowed",
                           pattern.size(), kMaxPatternBytes);
    return r;
  }
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(32 << 20);  // the compiled program and its DFA caches
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), o);
  if (!re->ok()) {
    r.error_ = re->error_code() == RE2::ErrorPatternTooLarge
                   ? std::string("pattern too large to compile")
                   : re->error();
    return r;
  }
  r.re_ = std::move(re);
  return r;
}

bool Regex::search(std::string_view text) const {
  return re_ && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool Regex::full_match(std::string_view text) const {
  return re_ && RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

Regex compile_option_regex(std::string_view flag, std::string_view pattern) {
  Regex r = Regex::compile(pattern);
  if (!r.ok())
    throw UsageError(fmt::format("{}: invalid regular expression '{}': {}", flag,
                                 pattern.size() > 200 ? std::string(pattern.substr(0, 200)) + "..."
                                                      : std::string(pattern),
                                 r.error()));
  return r;
}

}  // namespace perfkit
