// Folded stacks (Brendan Gregg's collapsed format): `root;child;leaf COUNT` per line, and the
// two-count differential form `stack BASE NEW` that difffolded.pl writes. Counts may be decimal:
// then every value is stored times 10^6 (ValueType::scale), parsed exactly from the text.
// Format notes: docs/research/flamegraph.md, section 1.
#include <fmt/format.h>

#include <cstring>

#include "formats/folded/stack_builder.h"
#include "formats/registry.h"
#include "formats/table/decimal_text.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit {

namespace {

constexpr int kFracDigits = 6;  // fractional counts are kept in millionths
constexpr int64_t kFracScale = 1000000;
constexpr size_t kProbeLines = 20;
constexpr size_t kModeLines = 20;  // data lines that decide single or differential form
constexpr size_t kProbeMaxLine = 1 << 20;

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A line split into its stack text and its one or two trailing count tokens.
struct FoldedLine {
  std::string_view stack;
  std::string_view count;   // the last token
  std::string_view count0;  // the token before it, when the line has two counts
};

// Splits at the last whitespace (frames may contain spaces). False when there is no separator.
bool split_last_token(std::string_view text, std::string_view* head, std::string_view* tail) {
  size_t i = text.size();
  while (i > 0 && !is_ws(text[i - 1])) --i;
  if (i == 0) return false;
  *tail = text.substr(i);
  size_t h = i;
  while (h > 0 && is_ws(text[h - 1])) --h;
  *head = text.substr(0, h);
  return true;
}

// Unsigned decimal with at least one leading digit ("12", "12.", "12.5").
bool looks_like_count(std::string_view t) {
  if (t.empty() || !is_digit(t[0])) return false;
  bool dot = false;
  for (char c : t) {
    if (c == '.' && !dot) dot = true;
    else if (!is_digit(c)) return false;
  }
  return true;
}

// Calls fn(line_number, line) for each line that is not blank or a '#' comment, trailing
// whitespace (and "\r") removed; fn returns false to stop. The position goes to `tick`.
template <class Fn>
void for_each_data_line(std::string_view text, Fn&& fn,
                        ProgressTicker tick = ProgressTicker(nullptr)) {
  size_t pos = 0;
  uint64_t number = 0;
  while (pos < text.size()) {
    tick.at(pos);
    const char* nl = static_cast<const char*>(memchr(text.data() + pos, '\n', text.size() - pos));
    size_t end = nl ? static_cast<size_t>(nl - text.data()) : text.size();
    ++number;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && is_ws(line.back())) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    size_t lead = 0;
    while (lead < line.size() && is_ws(line[lead])) ++lead;
    if (lead < line.size() && !fn(number, line)) return;
  }
}

bool has_dot(std::string_view t) { return !t.empty() && memchr(t.data(), '.', t.size()); }

class FoldedParser {
 public:
  FoldedParser(const InputBuffer& in, Profile& p) : in_(in), p_(p), builder_(p) {}

  void run() {
    detect_mode();
    for_each_data_line(in_.view(), [this](uint64_t number, std::string_view line) {
      line_no_ = number;
      line_ = line;
      parse_line();
      return true;
    }, ProgressTicker(in_.progress));
    finish();
  }

 private:
  [[noreturn]] void fail(std::string_view at, const std::string& msg) {
    size_t col = static_cast<size_t>(at.data() - line_.data()) + 1;
    throw InputError::at_line(in_.path, line_no_, col, msg);
  }

  FoldedLine split() {
    FoldedLine f;
    if (!split_last_token(line_, &f.stack, &f.count) || f.stack.empty())
      fail(line_.substr(line_.size()),
           "expected 'frame;frame;... COUNT': no count after the stack");
    if (mode_ == Mode::kDiff) {
      std::string_view head;
      if (!split_last_token(f.stack, &head, &f.count0) || head.empty())
        fail(f.count, "expected two counts (base new) after the stack, as on the first lines");
      f.stack = head;
    }
    return f;
  }

  int64_t count_value(std::string_view tok) {
    int64_t v = 0;
    if (!scaled_) {
      // fast path: plain integer
      size_t i = 0;
      uint64_t acc = 0;
      for (; i < tok.size() && is_digit(tok[i]) && i < 18; ++i)
        acc = acc * 10 + static_cast<uint64_t>(tok[i] - '0');
      if (i == tok.size() && i > 0) return static_cast<int64_t>(acc);
    }
    DecimalStatus st = parse_decimal(tok, scaled_ ? kFracDigits : 0, &v);
    if (st == DecimalStatus::kBad)
      fail(tok, fmt::format("expected a count (like 12 or 2.5) at the end of the line, got '{}'",
                            tok.substr(0, 40)));
    if (st == DecimalStatus::kOverflow) fail(tok, "count too large");
    if (st == DecimalStatus::kRounded) ++rounded_;
    return v;
  }

  // The first decimal count: every value stored so far becomes millionths.
  void rescale(std::string_view at) {
    scaled_ = true;
    for (ValueType& vt : p_.value_types) vt.scale = kFracScale;
    const size_t nvt = p_.value_types.size();
    for (size_t s = 0; s < p_.samples().size(); ++s) {
      int64_t* v = p_.mutable_values(s);
      for (size_t t = 0; t < nvt; ++t) {
        if (v[t] > INT64_MAX / kFracScale) fail(at, "counts too large to keep with decimals");
        v[t] *= kFracScale;
      }
    }
  }

  void parse_line() {
    FoldedLine f = split();
    int64_t values[2];
    if (!scaled_ && (has_dot(f.count) || has_dot(f.count0))) rescale(f.count);
    if (mode_ == Mode::kDiff) {
      values[0] = count_value(f.count0);
      values[1] = count_value(f.count);
    } else {
      values[0] = count_value(f.count);
    }
    builder_.begin_line();
    const char* p = f.stack.data();
    const char* end = p + f.stack.size();
    while (true) {
      const char* semi = static_cast<const char*>(memchr(p, ';', static_cast<size_t>(end - p)));
      const char* stop = semi ? semi : end;
      if (stop == p)
        fail(std::string_view(p, 0), "empty frame name (two ';' in a row, or a ';' at an end)");
      builder_.frame(std::string_view(p, static_cast<size_t>(stop - p)));
      if (!semi) break;
      p = semi + 1;
    }
    p_.add_sample(builder_.end_line(), values);
  }

  // The differential form when the first data lines all end in two counts. (flamegraph.pl decides
  // per line; looking at several lines keeps a leaf named like "sleep 5" from flipping a file.)
  void detect_mode() {
    size_t seen = 0, two = 0;
    for_each_data_line(in_.view(), [&](uint64_t, std::string_view line) {
      std::string_view stack, count, head, tail;
      if (!split_last_token(line, &stack, &count) || !looks_like_count(count)) return true;
      ++seen;
      two += split_last_token(stack, &head, &tail) && !head.empty() && looks_like_count(tail);
      return seen < kModeLines;
    });
    mode_ = seen > 0 && two == seen ? Mode::kDiff : Mode::kSingle;
    setup_value_types();
  }

  void setup_value_types() {
    auto count = p_.strings.intern("count");
    if (mode_ == Mode::kDiff) {
      p_.flavor = "folded-diff";
      p_.value_types.push_back({p_.strings.intern("base"), count, 1});
      p_.value_types.push_back({p_.strings.intern("new"), count, 1});
    } else {
      p_.value_types.push_back({p_.strings.intern("samples"), count, 1});
    }
  }

  void finish() {
    if (p_.samples().empty()) p_.warn("no stacks: the file has no data lines");
    if (rounded_)
      p_.warn(fmt::format("counts with more than {} decimals were rounded", kFracDigits),
              rounded_);
  }

  enum class Mode { kSingle, kDiff };
  const InputBuffer& in_;
  Profile& p_;
  StackBuilder builder_;
  std::string_view line_;
  uint64_t line_no_ = 0;
  Mode mode_ = Mode::kSingle;
  bool scaled_ = false;
  int64_t rounded_ = 0;
};

}  // namespace

Probe probe_folded(std::string_view content) {
  size_t pos = 0, checked = 0, good = 0, bad = 0;
  bool semicolon = false;
  while (pos < content.size() && checked < kProbeLines) {
    size_t rest = content.size() - pos, head = std::min(rest, kProbeMaxLine);
    const char* nl = static_cast<const char*>(memchr(content.data() + pos, '\n', head));
    if (!nl && head < rest) {
      // A line past 1 MiB (a deep stack): worth finding its end only when its first MiB is text
      // and not JSON, so a big binary or minified JSON file costs no more than that MiB.
      std::string_view start = content.substr(pos, head);
      size_t lead = start.find_first_not_of(" \t\r");
      if (lead == std::string_view::npos || start[lead] == '{' || start[lead] == '[')
        return Probe::kNo;
      for (char c : start)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return Probe::kNo;
      nl = static_cast<const char*>(memchr(content.data() + pos + head, '\n', rest - head));
    }
    size_t end = nl ? static_cast<size_t>(nl - content.data()) : content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && is_ws(line.back())) line.remove_suffix(1);
    size_t lead = 0;
    while (lead < line.size() && is_ws(line[lead])) ++lead;
    if (lead == line.size() || line[0] == '#') continue;
    if (line[lead] == '{' || line[lead] == '[') return Probe::kNo;  // JSON
    for (char c : line)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return Probe::kNo;  // binary
    std::string_view stack, count;
    ++checked;
    if (!split_last_token(line, &stack, &count) || stack.empty() || !looks_like_count(count)) {
      if (good == 0) return Probe::kNo;  // the first data line decides the most
      ++bad;
      continue;
    }
    ++good;
    if (stack.find(';') != std::string_view::npos) semicolon = true;
  }
  // A few bad lines after good ones still look like folded stacks: the reader then names the
  // bad line instead of "unrecognized format".
  if (good == 0 || bad > good) return Probe::kNo;
  return semicolon ? Probe::kYes : Probe::kMaybe;
}

void read_folded(const InputBuffer& in, Profile& p, const ReadOptions&) {
  p.format = "folded";
  FoldedParser parser(in, p);
  parser.run();
}

}  // namespace perfkit
