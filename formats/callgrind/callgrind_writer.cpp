#include "formats/callgrind/callgrind_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "lib/errors.h"

namespace perfkit {

namespace {

constexpr StrId kRootName = ~StrId(0);  // the "(root)" function, no string of the profile

struct FnKey {
  StrId name, file, object;
  bool operator<(const FnKey& o) const {
    return std::tie(name, file, object) < std::tie(o.name, o.file, o.object);
  }
};

struct CallKey {
  uint32_t caller, callee;
  int64_t line;  // the call site, in the caller
  bool operator<(const CallKey& o) const {
    return std::tie(caller, callee, line) < std::tie(o.caller, o.callee, o.line);
  }
};

struct Graph {
  size_t nv = 0;
  std::vector<FnKey> fns;
  std::map<FnKey, uint32_t> index;
  std::map<std::pair<uint32_t, int64_t>, std::vector<int64_t>> self;  // (fn, line) -> costs
  struct Call {
    int64_t calls = 0;
    std::vector<int64_t> costs;
  };
  std::map<CallKey, Call> calls;

  uint32_t fn(const FnKey& k) {
    auto [it, inserted] = index.try_emplace(k, static_cast<uint32_t>(fns.size()));
    if (inserted) fns.push_back(k);
    return it->second;
  }
  std::vector<int64_t>& self_at(uint32_t f, int64_t line) {
    auto& v = self[{f, line}];
    v.resize(nv, 0);
    return v;
  }
  Call& call(uint32_t caller, uint32_t callee, int64_t line) {
    Call& c = calls[{caller, callee, line}];
    c.costs.resize(nv, 0);
    return c;
  }
};

void add(std::vector<int64_t>& dst, const int64_t* src, size_t n) {
  for (size_t k = 0; k < n; ++k)
    if (__builtin_add_overflow(dst[k], src[k], &dst[k]))
      throw UsageError("callgrind: a cost passes the 64-bit integer range");
}

// Stacks: self at the leaf, an edge where a callee is first entered on the stack.
void from_stacks(const Profile& p, Graph& g, std::vector<std::string>& notes) {
  const size_t nv = p.value_types.size();
  const auto& samples = p.samples();
  std::vector<int64_t> per_stack(p.stacks().size() * nv, 0);
  std::vector<int64_t> count(p.stacks().size(), 0);
  for (size_t i = 0; i < samples.size(); ++i) {
    for (size_t k = 0; k < nv; ++k) {
      const int64_t v = p.value(i, k);
      if (v < 0)
        throw UsageError(fmt::format(
            "{}: {} has negative values (a diff?); callgrind costs cannot be negative", p.path,
            p.str(p.value_types[k].type)));
      int64_t& slot = per_stack[size_t(samples[i].stack) * nv + k];
      if (__builtin_add_overflow(slot, v, &slot))
        throw UsageError("callgrind: a cost passes the 64-bit integer range");
    }
    ++count[samples[i].stack];
  }
  std::unordered_map<FrameId, uint32_t> fn_of;
  auto fn_of_frame = [&](FrameId id) {
    auto it = fn_of.find(id);
    if (it != fn_of.end()) return it->second;
    const Frame& f = p.frames()[id];
    uint32_t fn = g.fn(FnKey{f.function, f.file, f.mapping});
    fn_of.emplace(id, fn);
    return fn;
  };
  std::set<uint32_t> roots, called;
  std::map<uint32_t, std::pair<int64_t, std::vector<int64_t>>> root_cost;
  int64_t reentries = 0;
  std::vector<uint32_t> on_stack;
  for (StackId s = 1; s < p.stacks().size(); ++s) {
    const int64_t* v = &per_stack[size_t(s) * nv];
    bool any = false;
    for (size_t k = 0; k < nv; ++k) any |= v[k] != 0;
    if (!any) continue;
    std::vector<FrameId> frames = p.stack_frames(s);
    on_stack.clear();
    for (size_t d = 0; d < frames.size(); ++d) {
      const uint32_t f = fn_of_frame(frames[d]);
      const bool seen = std::find(on_stack.begin(), on_stack.end(), f) != on_stack.end();
      if (d == 0) {
        roots.insert(f);
        auto& rc = root_cost[f];
        rc.second.resize(nv, 0);
        rc.first += count[s];
        add(rc.second, v, nv);
      } else if (seen) {
        ++reentries;
      } else {
        const int64_t line = p.frames()[frames[d - 1]].line;
        Graph::Call& c = g.call(fn_of_frame(frames[d - 1]), f, line);
        c.calls += count[s];
        add(c.costs, v, nv);
        called.insert(f);
      }
      if (!seen) on_stack.push_back(f);
    }
    add(g.self_at(fn_of_frame(frames.back()), p.frames()[frames.back()].line), v, nv);
  }
  bool need_root = false;
  for (uint32_t r : roots) need_root |= called.count(r) > 0;
  if (need_root) {
    const uint32_t root = g.fn(FnKey{kRootName, 0, 0});
    for (auto& [f, rc] : root_cost) {
      Graph::Call& c = g.call(root, f, 0);
      c.calls += rc.first;
      add(c.costs, rc.second.data(), nv);
    }
    notes.push_back("a \"(root)\" function calls the stacks' roots (some are also called)");
  }
  if (reentries)
    notes.push_back("recursive calls (a function entered again above itself) are not calls");
  notes.push_back("stacks become a call graph (callers of callers are not kept)");
}

// A function table with its call graph.
void from_table(const Profile& p, Graph& g, std::vector<std::string>& notes) {
  std::vector<uint32_t> fn(p.rows.size());
  for (size_t i = 0; i < p.rows.size(); ++i) {
    const TableRow& r = p.rows[i];
    if (r.self_ns < 0 || r.total_ns < 0)
      throw UsageError(fmt::format("{}: negative times; callgrind costs cannot be negative", p.path));
    fn[i] = g.fn(FnKey{r.name, r.file, 0});
    add(g.self_at(fn[i], r.line), &r.self_ns, 1);
  }
  int64_t self_calls = 0;
  for (const TableCall& c : p.table_calls) {
    if (c.caller >= fn.size() || c.callee >= fn.size()) continue;
    if (fn[c.caller] == fn[c.callee]) {
      ++self_calls;
      continue;
    }
    const int64_t cost = std::max<int64_t>(c.total_ns, 0);
    Graph::Call& call = g.call(fn[c.caller], fn[c.callee], p.rows[c.caller].line);
    call.calls += std::max<int64_t>(c.calls, 1);
    add(call.costs, &cost, 1);
  }
  if (self_calls) notes.push_back(fmt::format("{} recursive self calls left out", self_calls));
  if (p.table_calls.empty()) notes.push_back("the table has no callers: functions only");
}

std::string clean(std::string_view s) {
  std::string out(s.empty() ? std::string_view("???") : s);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

std::string event_name(const Profile& p, const ValueType& vt, size_t k) {
  std::string type = clean(p.str(vt.type)), unit(p.str(vt.unit));
  if (p.str(vt.type).empty()) type = fmt::format("value{}", k + 1);
  for (char& c : type)
    if (c == ' ' || c == '\t') c = '_';
  for (char& c : unit)
    if (c == ' ' || c == '\t' || c == ')') c = '_';
  return unit.empty() || unit == "count" ? type : fmt::format("{}({})", type, unit);
}

class Names {
 public:
  // "(id) name" the first time, "(id)" after.
  std::string operator()(const std::string& name) {
    auto [it, inserted] = ids_.try_emplace(name, ids_.size() + 1);
    return inserted ? fmt::format("({}) {}", it->second, name) : fmt::format("({})", it->second);
  }

 private:
  std::unordered_map<std::string, size_t> ids_;
};

}  // namespace

std::string write_callgrind(const Profile& p, std::string* note) {
  Graph g;
  std::vector<std::string> events, notes;
  const bool table = p.sample_count() == 0 && !p.rows.empty();
  if (table) {
    g.nv = 1;
    events.push_back("time(nanoseconds)");
    from_table(p, g, notes);
  } else {
    if (p.value_types.empty()) throw UsageError(fmt::format("{}: nothing to convert (no samples)", p.path));
    g.nv = p.value_types.size();
    for (size_t k = 0; k < g.nv; ++k) events.push_back(event_name(p, p.value_types[k], k));
    from_stacks(p, g, notes);
  }
  if (note) *note = fmt::format("{}", fmt::join(notes, "; "));
  const size_t nv = g.nv;
  std::vector<int64_t> totals(nv, 0);
  for (const auto& [where, costs] : g.self) add(totals, costs.data(), nv);

  std::string out = "# callgrind format\nversion: 1\ncreator: perfkit " PERFKIT_VERSION "\n";
  for (StrId c : p.meta.comments) {
    std::string_view t = p.str(c);
    if (t.starts_with("cmd: ")) out += clean(t) + "\n";
  }
  out += "positions: line\n";
  out += fmt::format("events: {}\n", fmt::join(events, " "));
  out += fmt::format("summary: {}\n\n", fmt::join(totals, " "));
  Names files, fns, objects;
  auto fn_name = [&](const FnKey& k) {
    return k.name == kRootName ? std::string("(root)") : clean(p.str(k.name));
  };
  auto costs_line = [&](int64_t line, const std::vector<int64_t>& c) {
    out += fmt::format("{} {}\n", std::max<int64_t>(line, 0), fmt::join(c, " "));
  };
  auto self_it = g.self.begin();
  auto call_it = g.calls.begin();
  for (uint32_t f = 0; f < g.fns.size(); ++f) {
    const FnKey& k = g.fns[f];
    out += fmt::format("ob={}\nfl={}\nfn={}\n", objects(clean(p.str(k.object))),
                       files(clean(p.str(k.file))), fns(fn_name(k)));
    for (; self_it != g.self.end() && self_it->first.first == f; ++self_it)
      costs_line(self_it->first.second, self_it->second);
    for (; call_it != g.calls.end() && call_it->first.caller == f; ++call_it) {
      const FnKey& c = g.fns[call_it->first.callee];
      out += fmt::format("cob={}\ncfi={}\ncfn={}\ncalls={} 0\n", objects(clean(p.str(c.object))),
                         files(clean(p.str(c.file))), fns(fn_name(c)), call_it->second.calls);
      costs_line(call_it->first.line, call_it->second.costs);
    }
    out += "\n";
  }
  return out;
}

}  // namespace perfkit
