// Python pstats files (`python -m cProfile -o out.prof`, `pstats.Stats.dump_stats`, yappi's
// save(type="pstat")): marshal of the stats dict
//   {(file, line, func): (cc, nc, tt, ct, {(file, line, func): (nc, cc, tt, ct), ...}), ...}
// read as a function table (Profile::rows: calls = nc, primitive calls = cc, self = tt,
// total = ct, in ns rounded from the float seconds) with the callers as the rows' call graph
// (Profile::table_calls). Names as pstats prints them: built-ins ("~", 0, "<built-in method
// x>") are "{built-in method x}" without a file, as in the text tables formats/table reads.
// yappi writes (ncall, nactualcall) where pstats expects (cc, nc): a row with cc > nc (never so in
// cProfile's output) means the whole file is swapped; it is swapped back, with a warning.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <tuple>

#include "formats/pstats/marshal.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit {

namespace {

using marshal::Doc;
using marshal::Kind;
using marshal::Value;

struct FuncKey {
  std::string_view file;
  int64_t line;
  std::string_view func;
  bool operator<(const FuncKey& o) const {
    return std::tie(file, line, func) < std::tie(o.file, o.line, o.func);
  }
};

class Reader {
 public:
  Reader(const InputBuffer& in, Profile& p, const Doc& d) : in_(in), p_(p), d_(d) {}
  void run();

 private:
  [[noreturn]] void fail(const Value& at, const std::string& what) const {
    throw InputError::at_byte(in_.path, at.offset, "pstats: " + what);
  }
  const Value& expect(const Value& v, Kind kind, const char* what) const {
    if (v.kind != kind)
      fail(v, fmt::format("{} should be a {}, not a {}", what, marshal::kind_name(kind),
                          marshal::kind_name(v.kind)));
    return v;
  }
  FuncKey key_of(const Value& v) const;
  int64_t count(const Value& v, const char* what) const;
  int64_t ns(const Value& v, const char* what) const;

  const InputBuffer& in_;
  Profile& p_;
  const Doc& d_;
};

FuncKey Reader::key_of(const Value& v) const {
  expect(v, Kind::kTuple, "a function key");
  if (v.count != 3) fail(v, fmt::format("a function key has {} items, not 3", v.count));
  FuncKey k;
  k.file = expect(d_.item(v, 0), Kind::kStr, "a function key's file").s;
  k.line = expect(d_.item(v, 1), Kind::kInt, "a function key's line").i;
  k.func = expect(d_.item(v, 2), Kind::kStr, "a function key's name").s;
  return k;
}

int64_t Reader::count(const Value& v, const char* what) const {
  expect(v, Kind::kInt, what);
  if (v.i < 0) fail(v, fmt::format("{} is negative ({})", what, v.i));
  return v.i;
}

int64_t Reader::ns(const Value& v, const char* what) const {
  double s = v.kind == Kind::kInt ? double(v.i) : expect(v, Kind::kFloat, what).f;
  const double x = std::nearbyint(s * 1e9);
  if (!std::isfinite(x) || std::fabs(x) > 9.0e18)
    fail(v, fmt::format("{} {} is not a time in seconds perfkit can hold", what, s));
  return static_cast<int64_t>(x);
}

void Reader::run() {
  p_.format = "pstats";
  p_.flavor = "cprofile";
  const Value& root = d_.at(d_.root);
  if (root.kind != Kind::kDict)
    fail(root, fmt::format("the file holds a {}, not the stats dict", marshal::kind_name(root.kind)));
  std::map<FuncKey, uint32_t> row_of;
  for (uint32_t i = 0; i < root.count; ++i) {
    const Value& kv = d_.item(root, 2 * i);
    FuncKey k = key_of(kv);
    const Value& st = expect(d_.item(root, 2 * i + 1), Kind::kTuple, "a function's stats");
    if (st.count != 5)
      fail(st, fmt::format("a function's stats have {} items, not 5 (cc, nc, tt, ct, callers)",
                           st.count));
    TableRow r;
    if (k.file == "~" && k.line == 0) {  // pstats' func_std_string for built-ins
      r.name = p_.strings.intern(k.func.starts_with('<') && k.func.ends_with('>')
                                     ? fmt::format("{{{}}}", k.func.substr(1, k.func.size() - 2))
                                     : std::string(k.func));
    } else {
      r.name = p_.strings.intern(k.func);
      r.file = p_.strings.intern(k.file);
      r.line = k.line;
    }
    r.primitive_calls = count(d_.item(st, 0), "a primitive call count (cc)");
    r.calls = count(d_.item(st, 1), "a call count (nc)");
    r.self_ns = ns(d_.item(st, 2), "a tottime");
    r.total_ns = ns(d_.item(st, 3), "a cumtime");
    expect(d_.item(st, 4), Kind::kDict, "a function's callers");
    if (!row_of.try_emplace(k, static_cast<uint32_t>(p_.rows.size())).second)
      fail(kv, "a function key appears twice");
    p_.rows.push_back(r);
  }
  int64_t unknown_callers = 0;
  for (uint32_t i = 0; i < root.count; ++i) {
    const uint32_t callee = static_cast<uint32_t>(i);
    const Value& callers = d_.item(d_.item(root, 2 * i + 1), 4);
    for (uint32_t c = 0; c < callers.count; ++c) {
      FuncKey k = key_of(d_.item(callers, 2 * c));
      const Value& v = d_.item(callers, 2 * c + 1);
      auto it = row_of.find(k);
      if (it == row_of.end()) {
        ++unknown_callers;
        continue;
      }
      TableCall call;
      call.caller = it->second;
      call.callee = callee;
      if (v.kind == Kind::kInt) {  // the pure-Python profile module: a call count only
        call.calls = count(v, "a caller's call count");
        call.total_ns = 0;
      } else {
        expect(v, Kind::kTuple, "a caller's stats");
        if (v.count != 4)
          fail(v, fmt::format("a caller's stats have {} items, not 4 (nc, cc, tt, ct)", v.count));
        call.calls = count(d_.item(v, 0), "a caller's call count (nc)");
        call.primitive_calls = count(d_.item(v, 1), "a caller's primitive call count (cc)");
        call.self_ns = ns(d_.item(v, 2), "a caller's tottime");
        call.total_ns = ns(d_.item(v, 3), "a caller's cumtime");
      }
      p_.table_calls.push_back(call);
    }
  }
  bool swapped = false;
  for (const TableRow& r : p_.rows) swapped |= r.primitive_calls > r.calls;
  if (swapped) {
    p_.flavor = "yappi";
    for (TableRow& r : p_.rows) std::swap(r.calls, r.primitive_calls);
    p_.warn("call counts read as (total, primitive) where pstats has (primitive, total): yappi's "
            "pstat export swaps them (pstats prints e.g. '1/8361'); swapped back");
  }
  for (const TableRow& r : p_.rows) p_.meta.duration_ns += r.self_ns;  // pstats' "in T seconds"
  if (unknown_callers)
    p_.warn("callers that are not functions of the file skipped", unknown_callers);
  if (p_.rows.empty()) p_.warn("the stats dict is empty");
}

}  // namespace

Probe probe_pstats(std::string_view content) {
  if (content.size() < 2) return Probe::kNo;
  const uint8_t b0 = static_cast<uint8_t>(content[0]), b1 = static_cast<uint8_t>(content[1]);
  if ((b0 & 0x7f) != '{') return Probe::kNo;
  // The first key: a (small) tuple, or '0' for an empty dict.
  const uint8_t key = b1 & 0x7f;
  if (key == ')' || key == '(') return b0 == 0xfb || b1 & 0x80 ? Probe::kYes : Probe::kMaybe;
  return content.size() == 2 && b1 == '0' ? Probe::kMaybe : Probe::kNo;
}

void read_pstats(const InputBuffer& in, Profile& p, const ReadOptions&) {
  // Parsed as a whole (a DOM, or marshal's nested values): the step and its time, no position.
  if (in.progress) in.progress->phase("parsing", in.size(), /*counted=*/false);
  marshal::Doc doc;
  marshal::Error err;
  uint64_t end = 0;
  if (!marshal::decode(in.view(), &doc, &err, &end))
    throw InputError::at_byte(in.path, err.offset, "pstats: " + err.what);
  if (end != in.size())
    throw InputError::at_byte(in.path, end,
                              fmt::format("pstats: {} bytes after the stats dict", in.size() - end));
  Reader(in, p, doc).run();
}

}  // namespace perfkit
