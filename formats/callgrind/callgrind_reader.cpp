// callgrind profile format (valgrind --tool=callgrind, yappi save(type="callgrind"), pprofile,
// go tool pprof -callgrind): a call graph of functions with self costs per event and calls with
// inclusive costs, turned into stacks by lib/call_graph.h (which says how, and what is exact).
//
// What is read: the header (version, creator, pid, cmd, part, desc, positions, events, summary,
// totals), fn=/fl=/fi=/fe=/ob= for the cost lines that follow, cob=/cfi=/cfl=/cfn= and calls= for
// the call whose inclusive cost is on the next line, name compression ("(id) name" defines an id,
// "(id)" refers to it; one id space for files, one for functions, one for objects), positions in
// decimal or hex with subposition compression (+N, -N, *), and one cost column per event (missing
// trailing costs are 0). Each event is a value type, the first the default, as in
// callgrind_annotate. Positions only place costs inside a function: frames are functions.
// Lenient where producers are sloppy (and each is counted in a warning): a name referenced by an
// id never defined (yappi before 1.7.5), a callee never described by fn= lines (its calls' cost
// is then its self cost), `calls=0` (go tool pprof writes it for every call; read as a call, as
// KCachegrind does), unknown `key:` or `key=` lines, no final newline.
#include <fmt/format.h>

#include <cstring>
#include <map>
#include <string>
#include <unordered_map>

#include "formats/registry.h"
#include "lib/call_graph.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit {

namespace {

constexpr size_t kProbeLines = 40;
constexpr size_t kMaxEvents = 64;
constexpr size_t kMaxPositions = 4;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The header keys of the format (callgrind_annotate's and KCachegrind's list).
bool is_header_key(std::string_view k) {
  static constexpr std::string_view kKeys[] = {"version", "creator", "pid",     "cmd",
                                               "part",    "desc",    "positions", "events",
                                               "event",   "summary", "totals",  "thread",
                                               "timeframe (BB)", "trigger"};
  for (auto key : kKeys)
    if (k == key) return true;
  return false;
}

// "key: value" with a header key; returns false for anything else.
bool split_header(std::string_view line, std::string_view* key, std::string_view* value) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view k = line.substr(0, colon);
  if (!is_header_key(k)) return false;
  *key = k;
  *value = trim(line.substr(colon + 1));
  return true;
}

// "fn=", "cfi=", ...: the specification's body keys with a name.
bool is_name_key(std::string_view k) {
  static constexpr std::string_view kKeys[] = {"fn", "fl", "fi", "fe", "ob", "cob",
                                               "cfi", "cfl", "cfn", "jfi", "jfn"};
  for (auto key : kKeys)
    if (k == key) return true;
  return false;
}

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

class Reader {
 public:
  Reader(const InputBuffer& in, Profile& p) : in_(in), p_(p) {}
  void run();

 private:
  struct Function {
    StrId name = 0, file = 0, object = 0;
    bool described = false;  // has fn= lines of its own (not only a callee)
  };
  struct FunctionKey {
    StrId name, file, object;
    bool operator<(const FunctionKey& o) const {
      return std::tie(name, file, object) < std::tie(o.name, o.file, o.object);
    }
  };
  enum NameKind { kFileNames, kFunctionNames, kObjectNames };

  [[noreturn]] void fail(size_t col, const std::string& msg) const {
    throw InputError::at_line(in_.path, line_no_, col, msg);
  }
  size_t col_of(std::string_view part) const {
    return static_cast<size_t>(part.data() - line_.data()) + 1;
  }
  void header(std::string_view key, std::string_view value);
  void set_events(std::string_view value);
  void set_positions(std::string_view value);
  StrId name(NameKind kind, std::string_view text);
  void body_key(std::string_view key, std::string_view value);
  void cost_line(std::string_view line);
  bool position(std::string_view tok, size_t i);
  void parse_costs(const std::vector<std::string_view>& toks, size_t first, int64_t* out);
  uint32_t function(StrId name, StrId file, StrId object, bool described);
  void finish();

  const InputBuffer& in_;
  Profile& p_;
  std::string_view line_;
  size_t line_no_ = 0;

  std::vector<std::string> events_;
  std::vector<std::string> positions_{"line"};
  std::vector<int64_t> last_pos_ = std::vector<int64_t>(kMaxPositions, 0);
  bool in_body_ = false;
  std::unordered_map<int64_t, StrId> ids_[3];
  int64_t undefined_ids_ = 0;
  std::string creator_;

  StrId fl_ = 0, ob_ = 0, cfile_ = 0, cobject_ = 0;
  bool have_cfile_ = false, have_cobject_ = false;
  int64_t current_ = -1;  // function of the cost lines (index into functions_)
  StrId callee_name_ = 0;
  bool have_callee_ = false;
  bool call_pending_ = false;  // the next cost line is a call's inclusive cost
  int64_t call_count_ = 0;
  FunctionKey call_target_{};

  std::vector<Function> functions_;
  std::map<FunctionKey, uint32_t> function_index_;
  std::vector<int64_t> self_;  // per function, events_.size() each
  struct Call {
    uint32_t caller;
    FunctionKey callee;
    int64_t calls;
  };
  std::vector<Call> calls_;
  std::vector<int64_t> call_costs_;  // per call, events_.size() each
  std::vector<int64_t> summary_;
  int64_t unknown_lines_ = 0, costs_outside_fn_ = 0;
};

void Reader::set_events(std::string_view value) {
  std::vector<std::string_view> names = split_ws(value);
  if (names.empty()) fail(1, "events: lists no event");
  if (names.size() > kMaxEvents) fail(1, fmt::format("events: lists more than {} events", kMaxEvents));
  std::vector<std::string> ev(names.begin(), names.end());
  if (!events_.empty()) {
    if (ev != events_) fail(1, "events: differs from the events of the earlier part");
    return;
  }
  events_ = std::move(ev);
}

void Reader::set_positions(std::string_view value) {
  std::vector<std::string_view> names = split_ws(value);
  if (names.empty() || names.size() > kMaxPositions)
    fail(1, "positions: expects one to four of instr, line (or addr)");
  for (auto n : names)
    if (n != "line" && n != "instr" && n != "addr")
      fail(col_of(n), fmt::format("positions: unknown position '{}' (expected instr or line)", n));
  positions_.assign(names.begin(), names.end());
}

void Reader::header(std::string_view key, std::string_view value) {
  if (key == "events") {
    set_events(value);
  } else if (key == "positions") {
    set_positions(value);
  } else if (key == "version") {
    if (value.empty() || !is_digit(value[0]) || (value[0] != '0' && value[0] != '1'))
      fail(1, fmt::format("version: {} is not a callgrind format version this reader knows (1)",
                          value));
  } else if (key == "creator") {
    creator_ = std::string(value);
    p_.meta.comments.push_back(p_.strings.intern(fmt::format("creator: {}", value)));
  } else if (key == "cmd") {
    p_.meta.comments.push_back(p_.strings.intern(fmt::format("cmd: {}", value)));
  } else if (key == "summary" || key == "totals") {
    std::vector<std::string_view> toks = split_ws(value);
    if (events_.empty()) return;  // a summary before events: nothing to check it against
    std::vector<int64_t> s(events_.size(), 0);
    parse_costs(toks, 0, s.data());
    if (summary_.empty()) summary_ = s;
  }
}

StrId Reader::name(NameKind kind, std::string_view text) {
  text = trim(text);
  // "(id) name" or "(id)"; a name that only starts with '(' ("(anonymous)") is a plain name.
  size_t close = text.empty() || text[0] != '(' ? std::string_view::npos : text.find(')');
  bool compressed = close != std::string_view::npos && close > 1 && close <= 20;
  for (size_t i = 1; compressed && i < close; ++i) compressed = is_digit(text[i]);
  if (!compressed) return p_.strings.intern(text == "???" ? "" : text);
  int64_t id = 0;
  for (size_t i = 1; i < close; ++i) {
    if (id > (INT64_MAX - 9) / 10)
      fail(col_of(text), fmt::format("name compression: id '{}' is too large", text.substr(0, close + 1)));
    id = id * 10 + (text[i] - '0');
  }
  std::string_view rest = trim(text.substr(close + 1));
  auto& table = ids_[kind];
  if (!rest.empty()) {
    StrId s = p_.strings.intern(rest == "???" ? "" : rest);
    table[id] = s;
    return s;
  }
  auto it = table.find(id);
  if (it != table.end()) return it->second;
  ++undefined_ids_;  // yappi before 1.7.5: referenced, never defined
  StrId s = p_.strings.intern(fmt::format("({})", id));
  table[id] = s;
  return s;
}

uint32_t Reader::function(StrId name, StrId file, StrId object, bool described) {
  auto [it, inserted] =
      function_index_.try_emplace(FunctionKey{name, file, object},
                                  static_cast<uint32_t>(functions_.size()));
  if (inserted) {
    functions_.push_back({name, file, object, false});
    self_.resize(functions_.size() * events_.size(), 0);
  }
  functions_[it->second].described |= described;
  return it->second;
}

void Reader::body_key(std::string_view key, std::string_view value) {
  if (key == "fl") {
    fl_ = name(kFileNames, value);
  } else if (key == "fi" || key == "fe") {
    name(kFileNames, value);  // inlined code's file: the costs stay with the function
  } else if (key == "ob") {
    ob_ = name(kObjectNames, value);
  } else if (key == "fn") {
    current_ = function(name(kFunctionNames, value), fl_, ob_, true);
  } else if (key == "cob") {
    cobject_ = name(kObjectNames, value);
    have_cobject_ = true;
  } else if (key == "cfi" || key == "cfl") {
    cfile_ = name(kFileNames, value);
    have_cfile_ = true;
  } else if (key == "cfn") {
    callee_name_ = name(kFunctionNames, value);
    have_callee_ = true;
  } else if (key == "jfi") {
    name(kFileNames, value);  // jumps: only their names' ids matter
  } else if (key == "jfn") {
    name(kFunctionNames, value);
  }
}

// One position: decimal, hex (0x...), or relative to the same position of the line before
// (+N, -N, *).
bool Reader::position(std::string_view tok, size_t i) {
  if (tok == "*") return true;
  int sign = 0;
  if (tok[0] == '+' || tok[0] == '-') {
    sign = tok[0] == '+' ? 1 : -1;
    tok.remove_prefix(1);
  }
  int base = 10;
  if (tok.size() > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
    base = 16;
    tok.remove_prefix(2);
  }
  if (tok.empty()) return false;
  uint64_t v = 0;
  for (char c : tok) {
    int d = is_digit(c) ? c - '0'
            : base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
            : base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
    if (d < 0) return false;
    if (v > (UINT64_MAX - d) / base) return false;
    v = v * base + d;
  }
  // Addresses are unsigned 64-bit; kept as their bits.
  const int64_t x = static_cast<int64_t>(v);
  last_pos_[i] = sign == 0 ? x : static_cast<int64_t>(static_cast<uint64_t>(last_pos_[i]) +
                                                      static_cast<uint64_t>(sign * x));
  return true;
}

void Reader::parse_costs(const std::vector<std::string_view>& toks, size_t first, int64_t* out) {
  if (toks.size() - first > events_.size())
    fail(col_of(toks[first + events_.size()]),
         fmt::format("{} costs on a line, but events: names {}", toks.size() - first,
                     events_.size()));
  for (size_t k = first; k < toks.size(); ++k) {
    int64_t v = 0;
    for (char c : toks[k]) {
      if (!is_digit(c))
        fail(col_of(toks[k]), fmt::format("cost '{}' is not a non-negative integer", toks[k]));
      if (v > (INT64_MAX - 9) / 10)
        fail(col_of(toks[k]), fmt::format("cost '{}' passes the 64-bit range", toks[k]));
      v = v * 10 + (c - '0');
    }
    out[k - first] = v;
  }
}

void Reader::cost_line(std::string_view line) {
  if (events_.empty()) fail(1, "a cost line before the events: line");
  std::vector<std::string_view> toks = split_ws(line);
  const size_t npos = positions_.size();
  if (toks.size() < npos)
    fail(1, fmt::format("a cost line needs {} position{} ({})", npos, npos == 1 ? "" : "s",
                        fmt::join(positions_, " ")));
  for (size_t i = 0; i < npos; ++i)
    if (!position(toks[i], i))
      fail(col_of(toks[i]), fmt::format("'{}' is not a position (number, 0x-hex, +N, -N or *)",
                                        toks[i]));
  const size_t ne = events_.size();
  std::vector<int64_t> costs(ne, 0);
  parse_costs(toks, npos, costs.data());
  if (current_ < 0) {
    ++costs_outside_fn_;
    call_pending_ = false;
    return;
  }
  if (call_pending_) {
    call_pending_ = false;
    calls_.push_back({static_cast<uint32_t>(current_), call_target_, call_count_});
    call_costs_.insert(call_costs_.end(), costs.begin(), costs.end());
    return;
  }
  // Functions named before the events: line have no cost slots yet.
  if (self_.size() < functions_.size() * ne) self_.resize(functions_.size() * ne, 0);
  int64_t* self = &self_[static_cast<size_t>(current_) * ne];
  for (size_t k = 0; k < ne; ++k)
    if (__builtin_add_overflow(self[k], costs[k], &self[k]))
      fail(1, "a function's costs add up past the 64-bit range");
}

void Reader::run() {
  p_.format = "callgrind";
  std::string_view text = in_.view();
  size_t pos = 0;
  ProgressTicker tick(in_.progress);
  while (pos < text.size()) {
    tick.at(pos);
    const char* nl = static_cast<const char*>(memchr(text.data() + pos, '\n', text.size() - pos));
    size_t end = nl ? static_cast<size_t>(nl - text.data()) : text.size();
    line_ = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no_;
    while (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
    std::string_view t = trim(line_);
    if (t.empty() || t[0] == '#') continue;
    const char c = t[0];
    if (is_digit(c) || c == '+' || c == '-' || c == '*') {
      in_body_ = true;
      cost_line(t);
      continue;
    }
    std::string_view key, value;
    if (split_header(t, &key, &value)) {
      header(key, value);
      continue;
    }
    size_t eq = t.find('=');
    std::string_view k = eq == std::string_view::npos ? std::string_view() : t.substr(0, eq);
    if (is_name_key(k)) {
      in_body_ = true;
      body_key(k, t.substr(eq + 1));
      continue;
    }
    if (k == "calls") {
      if (!have_callee_) fail(1, "calls= without a cfn= before it");
      std::vector<std::string_view> toks = split_ws(t.substr(eq + 1));
      if (toks.empty()) fail(col_of(t) + 6, "calls= needs a call count");
      int64_t n = 0;
      for (char d : toks[0]) {
        if (!is_digit(d) || n > (INT64_MAX - 9) / 10)
          fail(col_of(toks[0]), fmt::format("call count '{}' is not a number", toks[0]));
        n = n * 10 + (d - '0');
      }
      call_count_ = n;
      call_target_ = FunctionKey{callee_name_, have_cfile_ ? cfile_ : fl_,
                                 have_cobject_ ? cobject_ : ob_};
      call_pending_ = true;
      have_cfile_ = have_cobject_ = have_callee_ = false;
      continue;
    }
    if (k == "jump" || k == "jcnd") continue;  // jumps are not calls
    if (!in_body_ && events_.empty())
      fail(1, "not a callgrind header line (expected 'key: value' such as 'events: Ir')");
    ++unknown_lines_;
  }
  if (events_.empty()) throw InputError::in_file(in_.path, "callgrind: no events: line");
  if (call_pending_) ++unknown_lines_;  // a calls= line cut off before its cost line
  finish();
}

void Reader::finish() {
  const size_t ne = events_.size();
  self_.resize(functions_.size() * ne, 0);
  for (const std::string& e : events_) {
    ValueType vt;
    size_t open = e.find('(');
    if (open != std::string::npos && open > 0 && e.back() == ')') {  // go tool pprof: "cpu(ms)"
      vt.type = p_.strings.intern(e.substr(0, open));
      vt.unit = p_.strings.intern(e.substr(open + 1, e.size() - open - 2));
    } else {
      vt.type = p_.strings.intern(e);
      // yappi's "Ticks" are microseconds of its clock (int(seconds * 1e6)).
      vt.unit = p_.strings.intern(creator_.starts_with("yappi") && e == "Ticks" ? "microseconds"
                                                                                 : "count");
    }
    p_.value_types.push_back(vt);
  }
  p_.meta.default_sample_type = p_.value_types[0].type;  // callgrind_annotate's first event
  p_.flavor = creator_.empty() ? "" : creator_.substr(0, creator_.find_first_of("- "));

  // Callees by name when their file or object was written differently at the call (or not at
  // all): the one described function of that name, if there is exactly one.
  std::unordered_map<StrId, int64_t> described_by_name;  // name -> function, -1 when ambiguous
  for (uint32_t i = 0; i < functions_.size(); ++i) {
    if (!functions_[i].described) continue;
    auto [it, inserted] = described_by_name.try_emplace(functions_[i].name, i);
    if (!inserted) it->second = -1;
  }
  CallGraph g;
  g.value_count = ne;
  std::vector<uint32_t> callee_of(calls_.size());
  for (size_t c = 0; c < calls_.size(); ++c) {
    const FunctionKey& k = calls_[c].callee;
    auto it = function_index_.find(k);
    if (it != function_index_.end() && functions_[it->second].described) {
      callee_of[c] = it->second;
      continue;
    }
    auto byname = described_by_name.find(k.name);
    if (byname != described_by_name.end() && byname->second >= 0) {
      callee_of[c] = static_cast<uint32_t>(byname->second);
      continue;
    }
    callee_of[c] = function(k.name, k.file, k.object, false);
  }
  self_.resize(functions_.size() * ne, 0);
  // A callee that no fn= line describes: what its calls cost is all it is known to spend.
  int64_t undescribed = 0;
  for (size_t c = 0; c < calls_.size(); ++c) {
    const uint32_t f = callee_of[c];
    if (functions_[f].described) continue;
    for (size_t k = 0; k < ne; ++k)
      if (__builtin_add_overflow(self_[f * ne + k], call_costs_[c * ne + k], &self_[f * ne + k]))
        throw InputError::in_file(in_.path, "a function's costs add up past the 64-bit range");
  }
  for (const Function& f : functions_) undescribed += !f.described;

  const bool ours = creator_.starts_with("perfkit");
  for (const Function& f : functions_) {
    if (ours && p_.str(f.name) == "(root)" && f.file == 0 && f.object == 0) {
      g.add_node(CallGraph::kNoFrame);  // the writer's caller of the stacks' roots
      continue;
    }
    Frame fr;
    fr.function = f.name != 0 ? f.name : p_.strings.intern("???");
    fr.file = f.file;
    fr.mapping = f.object;
    g.add_node(p_.intern_frame(fr));
  }
  g.self = self_;
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> edge_index;
  for (size_t c = 0; c < calls_.size(); ++c) {
    auto [it, inserted] = edge_index.try_emplace({calls_[c].caller, callee_of[c]},
                                                 static_cast<uint32_t>(g.edges.size()));
    if (inserted) {
      g.edges.push_back({calls_[c].caller, callee_of[c]});
      g.incl.resize(g.edges.size() * ne, 0);
    }
    int64_t* dst = &g.incl[size_t(it->second) * ne];
    for (size_t k = 0; k < ne; ++k)
      if (__builtin_add_overflow(dst[k], call_costs_[c * ne + k], &dst[k]))
        throw InputError::in_file(in_.path, "a call's costs add up past the 64-bit range");
  }
  CallGraphStats stats = add_call_graph_samples(p_, g);

  if (undefined_ids_)
    p_.warn("names referred to by an id that is never defined (yappi before 1.7.5 writes such "
            "callees): named by their id",
            undefined_ids_);
  if (undescribed)
    p_.warn("functions are called but have no fn= lines of their own: their calls' inclusive cost "
            "is taken as their self cost",
            undescribed);
  if (costs_outside_fn_) p_.warn("cost lines before any fn= line skipped", costs_outside_fn_);
  if (unknown_lines_) p_.warn("lines that are not callgrind syntax skipped", unknown_lines_);
  warn_call_graph(p_, stats);
  if (!summary_.empty()) {
    for (size_t k = 0; k < ne; ++k) {
      int64_t sum = 0;
      for (size_t f = 0; f < functions_.size(); ++f) sum += self_[f * ne + k];
      if (sum != summary_[k])
        p_.warn(fmt::format("the {} costs add up to {}, but the file's summary says {}",
                            events_[k], sum, summary_[k]));
    }
  }
}

}  // namespace

Probe probe_callgrind(std::string_view content) {
  size_t pos = 0, lines = 0;
  bool header_seen = false;
  while (pos < content.size() && lines < kProbeLines) {
    const char* nl =
        static_cast<const char*>(memchr(content.data() + pos, '\n', content.size() - pos));
    size_t end = nl ? static_cast<size_t>(nl - content.data()) : content.size();
    std::string_view line = trim(content.substr(pos, end - pos));
    pos = end + 1;
    ++lines;
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line.starts_with("# callgrind format")) return Probe::kYes;
      continue;
    }
    std::string_view key, value;
    if (split_header(line, &key, &value)) {
      if (key == "events") return Probe::kYes;
      header_seen = true;
      continue;
    }
    return Probe::kNo;
  }
  return header_seen ? Probe::kMaybe : Probe::kNo;
}

void read_callgrind(const InputBuffer& in, Profile& p, const ReadOptions&) {
  Reader(in, p).run();
}

}  // namespace perfkit
