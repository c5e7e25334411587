// The line rules of stackcollapse-perf.pl (brendangregg/FlameGraph), written out as scans so that
// they cost no regex per line. Each function names the expression it reproduces.
#include "formats/perf/perf_script_line.h"

#include <cstring>

namespace perfkit {

namespace {

// Perl's \s (without the vertical tab, which no producer writes).
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}
size_t skip_digits(std::string_view s, size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// At i (a blank): `\s+(\d+)\/*(\d+)*\s+`. Sets pid (the first digits) and tid (the digits after
// the slashes, possibly empty) and returns true when it matches.
bool match_ids(std::string_view line, size_t i, PerfHeader* h) {
  size_t d = skip_space(line, i);
  if (d == i) return false;
  size_t e = skip_digits(line, d);
  if (e == d) return false;
  size_t s = e;
  while (s < line.size() && line[s] == '/') ++s;
  size_t t = skip_digits(line, s);
  if (t < line.size() && is_space(line[t])) {
    h->pid_text = line.substr(d, e - d);
    h->tid_text = line.substr(s, t - s);
    h->pid_col = d;
    return true;
  }
  // The slashes matched nothing useful: Perl backtracks to \d+ followed directly by \s+, which
  // cannot match either (a digit or slash follows), so the line does not match here.
  return false;
}

// `:\s*(\d+)*\s+(\S+):\s*$` on the whole line: the event is the last word, which ends in ':';
// before it, after blanks, an optional count that follows a ':' and optional blanks.
bool match_event(std::string_view line, PerfHeader* h) {
  std::string_view t = trim_right(line);
  if (t.empty() || t.back() != ':') return false;
  size_t start = t.size();
  while (start > 0 && !is_space(t[start - 1])) --start;
  if (start == 0 || t.size() - start < 2) return false;  // \S+ needs a character before the ':'
  std::string_view event = t.substr(start, t.size() - start - 1);
  size_t x = start;
  while (x > 0 && is_space(t[x - 1])) --x;  // the \s+ before the event
  size_t digits = x;
  while (digits > 0 && is_digit(t[digits - 1])) --digits;
  if (digits < x) {
    size_t c = digits;
    while (c > 0 && is_space(t[c - 1])) --c;
    if (c == 0 || t[c - 1] != ':') return false;
    h->period_text = t.substr(digits, x - digits);
    h->period_col = digits;
  } else if (x == 0 || t[x - 1] != ':') {
    return false;
  }
  h->event = event;
  h->script_event = true;
  return true;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

bool is_time_token(std::string_view tok) {
  if (tok.size() < 4 || tok.back() != ':') return false;
  tok.remove_suffix(1);
  size_t dot = tok.find('.');
  return dot != std::string_view::npos && dot > 0 && all_digits(tok.substr(0, dot)) &&
         all_digits(tok.substr(dot + 1));
}

// The fields after the ids, read token by token: [CPU], TIME:, PERIOD, EVENT:, the rest.
void scan_fields(std::string_view line, size_t i, PerfHeader* h) {
  std::string_view time, period, event;
  size_t period_col = 0;
  while (true) {
    i = skip_space(line, i);
    size_t e = i;
    while (e < line.size() && !is_space(line[e])) ++e;
    if (e == i) break;
    std::string_view tok = line.substr(i, e - i);
    if (event.empty() && time.empty() && period.empty() && tok.size() >= 3 && tok[0] == '[' &&
        tok.back() == ']' && all_digits(tok.substr(1, tok.size() - 2))) {
      i = e;  // cpu
    } else if (event.empty() && time.empty() && period.empty() && is_time_token(tok)) {
      time = tok.substr(0, tok.size() - 1);
      i = e;
    } else if (event.empty() && period.empty() && all_digits(tok)) {
      period = tok;
      period_col = i;
      i = e;
    } else if (event.empty() && tok.size() >= 2 && tok.back() == ':') {
      event = tok.substr(0, tok.size() - 1);
      i = e;
      break;
    } else {
      break;
    }
  }
  h->time_text = time;
  h->trailing = trim_right(line.substr(std::min(skip_space(line, i), line.size())));
  if (!h->script_event) {
    h->event = event;
    h->period_text = period;
    h->period_col = period_col;
  }
}

}  // namespace

// `^(\S.+?)\s+(\d+)\/*(\d+)*\s+`: the comm is the shortest run of at least two characters,
// starting with a non-blank, that is followed by blanks, digits (pid or tid), optional "/TID" and
// blanks. Then the event and period as match_event finds them, else as scan_fields does.
bool parse_perf_header(std::string_view line, PerfHeader* h) {
  *h = PerfHeader{};
  if (line.size() < 2 || is_space(line[0])) return false;
  size_t k = 2;
  bool found = false;
  while (k < line.size()) {
    if (!is_space(line[k])) {
      ++k;
      continue;
    }
    if (match_ids(line, k, h)) {
      found = true;
      break;
    }
    // Every k inside this run of blanks reaches the same digits: try the run once.
    k = skip_space(line, k);
  }
  if (!found) return false;
  h->comm = line.substr(0, k);
  size_t after_ids = h->pid_col;
  after_ids = skip_digits(line, after_ids);
  while (after_ids < line.size() && line[after_ids] == '/') ++after_ids;
  after_ids = skip_digits(line, after_ids);
  match_event(line, h);
  scan_fields(line, after_ids, h);
  return true;
}

// `^\s*(\w+)\s*(.+) \((.*)\)`: the address is a run of word characters; the symbol is the longest
// text before a " (" that a ')' follows somewhere; the dso runs from there to the line's last ')'.
// (The regex could also backtrack into the address when the symbol is missing; perf always
// prints one, "[unknown]" at worst, so such lines are refused instead.)
bool parse_perf_frame(std::string_view line, PerfFrameLine* f) {
  size_t i = skip_space(line, 0);
  size_t e = i;
  while (e < line.size() && is_word(line[e])) ++e;
  if (e == i) return false;
  size_t r = skip_space(line, e);
  std::string_view rest = line.substr(r);
  size_t close = rest.rfind(')');
  if (close == std::string_view::npos || close < 3) return false;
  size_t q = rest.rfind(" (", close - 2);
  if (q == std::string_view::npos || q == 0) {
    // An empty symbol ("7f1e2215d058  (/lib/libc.so)"): the regex gives the blanks but the last
    // one to the symbol, so the frame is named by them.
    if (rest.empty() || rest[0] != '(' || r < e + 2 || line[r - 1] != ' ') return false;
    f->pc = line.substr(i, e - i);
    f->rawfunc = line.substr(e, r - e - 1);
    f->dso = rest.substr(1, close - 1);
    f->key = line.substr(e, r - e + close + 1);
    return true;
  }
  f->pc = line.substr(i, e - i);
  f->rawfunc = rest.substr(0, q);
  f->dso = rest.substr(q + 2, close - q - 2);
  f->key = rest.substr(0, close + 1);
  return true;
}

bool parse_perf_srcline(std::string_view line, std::string_view* file, int64_t* line_no) {
  if (line.empty() || !is_space(line[0])) return false;
  std::string_view t = trim_right(line.substr(skip_space(line, 0)));
  if (t.empty()) return false;
  for (char c : t)
    if (c == ' ' || c == '\t') return false;  // one word: a path may not hold blanks here
  *line_no = 0;
  if (t == "??:0" || t == "??:?") return true;
  if (t.back() == ']') {  // "libc.so.6[27b25]", "[kernel.kallsyms][ffffffff814f9302]"
    size_t open = t.rfind('[');
    if (open == std::string_view::npos || open + 2 > t.size()) return false;
    for (size_t k = open + 1; k + 1 < t.size(); ++k)
      if (!is_hex(t[k])) return false;
    return true;
  }
  size_t colon = t.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || !all_digits(t.substr(colon + 1)) ||
      t.size() - colon > 10)
    return false;
  int64_t n = 0;
  for (char c : t.substr(colon + 1)) n = n * 10 + (c - '0');
  *file = t.substr(0, colon);
  *line_no = n;
  return true;
}

namespace {

// `s/\+0x[\da-f]+$//`
std::string_view strip_offset(std::string_view s) {
  size_t plus = s.rfind("+0x");
  if (plus == std::string_view::npos || plus + 3 == s.size()) return s;
  for (size_t k = plus + 3; k < s.size(); ++k)
    if (!is_digit(s[k]) && !(s[k] >= 'a' && s[k] <= 'f')) return s;
  return s.substr(0, plus);
}

// `m/\.\(.*\)\./`: a Go method name such as "net/http.(*Client).Do".
bool looks_like_go_method(std::string_view s) {
  size_t open = s.find(".(");
  if (open == std::string_view::npos) return false;
  size_t close = s.rfind(").");
  return close != std::string_view::npos && close >= open + 2;
}

void tidy_one(std::string& func, std::string_view dso, bool java) {
  if (func == "[unknown]") {
    if (dso != "[unknown]") {
      size_t slash = dso.rfind('/');  // `s/.*\///`
      func = "[" + std::string(slash == std::string_view::npos ? dso : dso.substr(slash + 1)) + "]";
    } else {
      func = "[unknown]";
    }
  }
  for (char& c : func)
    if (c == ';') c = ':';
  if (!looks_like_go_method(func)) {
    // `s/\((?!anonymous namespace\)).*//`
    constexpr std::string_view kAnon = "anonymous namespace)";
    for (size_t p = func.find('('); p != std::string::npos; p = func.find('(', p + 1)) {
      if (std::string_view(func).substr(p + 1, kAnon.size()) != kAnon) {
        func.resize(p);
        break;
      }
    }
  }
  // `tr/"\'//d`
  size_t w = 0;
  for (char c : func)
    if (c != '"' && c != '\'') func[w++] = c;
  func.resize(w);
  if (java && func.find('/') != std::string::npos && !func.empty() && func[0] == 'L')
    func.erase(0, 1);
}

}  // namespace

void tidy_perf_frame(const PerfFrameLine& f, bool java, std::vector<std::string>* names,
                     bool* skipped) {
  names->clear();
  *skipped = false;
  std::string_view raw = strip_offset(f.rawfunc);
  if (!raw.empty() && raw[0] == '(') {
    *skipped = true;
    return;
  }
  // `split /\->/`: Perl drops the empty fields at the end.
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (true) {
    size_t arrow = raw.find("->", pos);
    parts.push_back(raw.substr(pos, arrow == std::string_view::npos ? raw.size() - pos : arrow - pos));
    if (arrow == std::string_view::npos) break;
    pos = arrow + 2;
  }
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  for (size_t k = 0; k < parts.size(); ++k) {
    std::string func(parts[k]);
    tidy_one(func, f.dso, java);
    if (k > 0 && func.find("_[i]") == std::string::npos) func += "_[i]";
    names->push_back(std::move(func));
  }
}

std::string perf_process_name(const PerfHeader& h, PerfRoot root) {
  // The script's `if (not $tid) { $tid = $pid; $pid = "?" }`: Perl's false is "" and "0".
  std::string_view pid = h.pid_text, tid = h.tid_text;
  if (tid.empty() || tid == "0") {
    tid = pid;
    pid = "?";
  }
  std::string name(h.comm);
  if (root == PerfRoot::kTid) {
    name += "-";
    name += pid;
    name += "/";
    name += tid;
  } else if (root == PerfRoot::kPid) {
    name += "-";
    name += pid;
  }
  for (char& c : name)
    if (c == ' ') c = '_';
  return name;
}

bool parse_perf_time(std::string_view text, int64_t* ns) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 10) return false;
  int64_t sec = 0;
  for (size_t k = 0; k < dot; ++k) {
    if (!is_digit(text[k])) return false;
    sec = sec * 10 + (text[k] - '0');
  }
  int64_t frac = 0;
  size_t digits = 0;
  for (size_t k = dot + 1; k < text.size(); ++k) {
    if (!is_digit(text[k])) return false;
    if (digits < 9) frac = frac * 10 + (text[k] - '0'), ++digits;
  }
  while (digits < 9) frac *= 10, ++digits;
  *ns = sec * 1000000000 + frac;
  return true;
}

}  // namespace perfkit
