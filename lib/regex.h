// Regular expressions for everything a user or an input supplies (--focus, --ignore, --hide,
// --show, tag filters, a profile's drop_frames/keep_frames). RE2 syntax, as Go's regexp and so
// pprof: (?i), \pL, no backreferences or lookaround. Matching runs in time linear in the text and
// never recurses, whatever the pattern (std::regex recursed per group and backtracked).
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace perfkit {

class Regex {
 public:
  // Patterns longer than this are refused: a compiled program is bounded too (RE2's max_mem).
  static constexpr size_t kMaxPatternBytes = 64 * 1024;

  // Compiles `pattern`; on failure returns an empty Regex whose error() says why.
  static Regex compile(std::string_view pattern);
  Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  ~Regex();

  bool ok() const { return re_ != nullptr; }
  const std::string& error() const { return error_; }
  // Unanchored: some substring matches (Go's MatchString, pprof's -focus).
  bool search(std::string_view text) const;
  // Anchored at both ends (pprof's drop_frames: "^(" + re + ")$").
  bool full_match(std::string_view text) const;

 private:
  std::unique_ptr<re2::RE2> re_;
  std::string error_;
};

// Compiles a user-supplied pattern of option `flag`; throws UsageError
// "FLAG: invalid regular expression 'RE': why" when it does not compile.
Regex compile_option_regex(std::string_view flag, std::string_view pattern);

}  // namespace perfkit
