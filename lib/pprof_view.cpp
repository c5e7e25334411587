#include "lib/pprof_view.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/errors.h"
#include "lib/pprof_names.h"
#include "lib/regex.h"
#include "lib/units.h"

namespace perfkit {
namespace {

// Bits per frame: which filter's regex matches its function or file name (pprof matches lines
// that have a function), and which matches its mapping's file.
enum : uint16_t {
  kFocusName = 1 << 0, kFocusMap = 1 << 1,
  kIgnoreName = 1 << 2, kIgnoreMap = 1 << 3,
  kHideName = 1 << 4, kHideMap = 1 << 5,
  kShowName = 1 << 6, kShowMap = 1 << 7,
  kFromName = 1 << 8, kFromMap = 1 << 9,
  kPruneName = 1 << 10,
  kNoFunction = 1 << 11,
  kLineless = 1 << 12,
};

struct FrameBits {
  std::vector<uint16_t> bits;
  bool focus = false, ignore = false, hide = false, show = false, from = false, prune = false;

  FrameBits(const Profile& p, const SampleFilter& f) : bits(p.frames().size(), 0) {
    focus = !f.focus.empty();
    ignore = !f.ignore.empty();
    hide = !f.hide.empty();
    show = !f.show.empty();
    from = !f.show_from.empty();
    prune = !f.prune_from.empty();
    for (size_t i = 0; i < bits.size(); ++i)
      if (p.frames()[i].unsymbolized) bits[i] |= kNoFunction | (p.frames()[i].lineless ? kLineless : 0);
    mark(p, "--focus", f.focus, kFocusName, kFocusMap);
    mark(p, "--ignore", f.ignore, kIgnoreName, kIgnoreMap);
    mark(p, "--hide", f.hide, kHideName, kHideMap);
    mark(p, "--show", f.show, kShowName, kShowMap);
    mark(p, "--show-from", f.show_from, kFromName, kFromMap);
    if (prune) {
      Regex rx = compile_option_regex("--prune-from", f.prune_from);
      std::unordered_map<StrId, bool> memo;
      for (size_t i = 0; i < bits.size(); ++i) {
        const Frame& fr = p.frames()[i];
        if (fr.unsymbolized || p.str(fr.function).empty()) continue;
        auto [it, fresh] = memo.try_emplace(fr.function, false);
        if (fresh) it->second = rx.search(simplify_function_name(p.str(fr.function)));
        if (it->second) bits[i] |= kPruneName;
      }
    }
  }

  void mark(const Profile& p, const char* flag, const std::string& re, uint16_t name_bit,
            uint16_t map_bit) {
    if (re.empty()) return;
    Regex rx = compile_option_regex(flag, re);
    std::unordered_map<StrId, bool> memo;
    auto match = [&](StrId s) {
      auto [it, fresh] = memo.try_emplace(s, false);
      if (fresh) it->second = rx.search(p.str(s));
      return it->second;
    };
    for (size_t i = 0; i < bits.size(); ++i) {
      const Frame& fr = p.frames()[i];
      if (!fr.unsymbolized && (match(fr.function) || match(fr.file))) bits[i] |= name_bit;
      if (fr.mapping != 0 && match(fr.mapping)) bits[i] |= map_bit;
    }
  }
};

// The per-location rules of FilterSamplesByName, ShowFrom and PruneFrom on one location's lines
// (root first: the physical line, then the lines inlined into it). Returns the lines kept, in
// `kept` (indexes into `frames`), and what the location is for the sample-level rules.
struct LocationOutcome {
  bool focus = false, ignore = false;  // on the lines as read
  bool from = false;                   // --show-from matched (lines above the match removed)
  bool prune = false;                  // --prune-from matched (lines beneath removed)
};

LocationOutcome filter_location(const FrameBits& fb, const FrameId* frames, size_t n,
                                std::vector<uint32_t>& kept) {
  LocationOutcome out;
  const uint16_t map_bits = fb.bits[frames[0]];  // one mapping per location
  uint16_t any = 0;
  for (size_t i = 0; i < n; ++i) any |= fb.bits[frames[i]];
  out.ignore = fb.ignore && (any & (kIgnoreName | kIgnoreMap));
  out.focus = !out.ignore && (!fb.focus || (any & (kFocusName | kFocusMap)));
  kept.clear();
  const bool hide_all = fb.hide && (map_bits & kHideMap);
  // pprof's matchedLines keeps a location's lines, all of them when its mapping matches: a
  // location without lines keeps none, so --show always hides it.
  const bool show_all = !fb.show || ((map_bits & kShowMap) && !(map_bits & kLineless));
  for (size_t i = 0; i < n && !hide_all; ++i) {
    const uint16_t b = fb.bits[frames[i]];
    if (fb.hide && (b & kHideName)) continue;
    if (!show_all && ((b & kLineless) || !(b & (kShowName | kNoFunction)))) continue;
    kept.push_back(static_cast<uint32_t>(i));
  }
  if (kept.empty()) return out;
  if (fb.from) {
    if (map_bits & kFromMap) {
      out.from = true;
    } else {
      for (size_t j = 0; j < kept.size(); ++j)
        if (fb.bits[frames[kept[j]]] & kFromName) {
          kept.erase(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(j));
          out.from = true;
          break;
        }
    }
  }
  if (fb.prune) {
    for (size_t j = kept.size(); j-- > 0;)
      if (fb.bits[frames[kept[j]]] & kPruneName) {
        kept.resize(j + 1);
        out.prune = true;
        break;
      }
  }
  return out;
}

// One stack (root first) through every rule; appends the kept entries to `out` and says whether
// the sample survives.
bool filter_stack(const Profile& p, const FrameBits& fb, const FrameId* frames, size_t n,
                  BigVector<uint32_t>& out, std::vector<uint32_t>& kept) {
  const size_t start = out.size();
  bool focused = false;
  size_t from_at = SIZE_MAX, prune_end = SIZE_MAX;
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && p.frames()[frames[b]].inlined) ++b;
    LocationOutcome lo = filter_location(fb, frames + a, b - a, kept);
    if (lo.ignore) {
      out.resize(start);
      return false;
    }
    focused = focused || lo.focus;
    if (!kept.empty()) {
      if (lo.from && from_at == SIZE_MAX) from_at = out.size();
      for (size_t j = 0; j < kept.size(); ++j)
        out.push_back(frames[a + kept[j]] | (j == 0 ? 0u : kViewInline));
      if (lo.prune) prune_end = out.size();
    }
    a = b;
  }
  bool keep = focused && out.size() > start;
  if (keep && fb.from) {
    if (from_at == SIZE_MAX) {
      keep = false;
    } else {
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(start),
                out.begin() + static_cast<std::ptrdiff_t>(from_at));
      if (prune_end != SIZE_MAX)
        prune_end = prune_end > from_at ? prune_end - (from_at - start) : SIZE_MAX;
    }
  }
  if (keep && prune_end != SIZE_MAX) out.resize(prune_end);
  if (!keep) out.resize(start);
  return keep;
}

// Which samples the tag filters keep (empty: all).
std::vector<uint8_t> tag_kept(const Profile& p, const SampleFilter& f) {
  std::vector<uint8_t> keep;
  if (f.tagfocus.empty() && f.tagignore.empty()) return keep;
  std::unique_ptr<TagFilter> focus, ignore;
  if (!f.tagfocus.empty()) focus = std::make_unique<TagFilter>(p, "--tagfocus", f.tagfocus);
  if (!f.tagignore.empty()) ignore = std::make_unique<TagFilter>(p, "--tagignore", f.tagignore);
  const auto& samples = p.has_deferred_stacks() ? p.stack_lists().samples : p.samples();
  keep.resize(samples.size());
  for (size_t i = 0; i < samples.size(); ++i)
    keep[i] = (!focus || focus->matches(p, samples[i])) && !(ignore && ignore->matches(p, samples[i]));
  return keep;
}

void add_weights(const Profile& p, const ViewOptions& o, const std::vector<uint8_t>& tag_keep,
                 const std::vector<uint32_t>& stack_of, StackView& v) {
  const size_t n = v.stack_count();
  v.w.assign(n, 0);
  v.live.assign(n, 0);
  if (o.mean) v.dw.assign(n, 0);
  const size_t vi = static_cast<size_t>(o.value_index);
  const auto& samples = p.has_deferred_stacks() ? p.stack_lists().samples : p.samples();
  if (o.per_sample) v.sample_stack.assign(samples.size(), UINT32_MAX);
  for (size_t i = 0; i < samples.size(); ++i) {
    if (!tag_keep.empty() && !tag_keep[i]) continue;
    uint32_t s = stack_of[samples[i].stack];
    if (s == UINT32_MAX) continue;
    if (o.per_sample) v.sample_stack[i] = s;
    const int64_t x = p.value(i, vi), d = o.mean ? p.value(i, 0) : 0;
    v.w[s] += x;
    v.kept_abs += std::llabs(x);
    if (o.mean) v.dw[s] += d;
    if (x != 0 || d != 0) v.live[s] = 1;
  }
}

StackView view_of_lists(const Profile& p, const ViewOptions& o, const FrameBits& fb,
                        const std::vector<uint8_t>& tag_keep) {
  const Profile::StackLists src = p.stack_lists();
  const size_t n_lists = src.begin.size() - 1;
  StackView v;
  v.lists = true;
  std::vector<uint32_t> stack_of(n_lists, UINT32_MAX);
  const bool any = fb.focus || fb.ignore || fb.hide || fb.show || fb.from || fb.prune;
  if (!any) {  // every non-empty stack as it is
    v.borrowed = true;
    for (size_t l = 0; l < n_lists; ++l)
      if (src.begin[l + 1] > src.begin[l]) stack_of[l] = static_cast<uint32_t>(l);
    v.begin = src.begin.data();
    v.entries = src.frames.data();
    v.count = n_lists;
  } else {
    v.own_begin.reserve(n_lists + 1);
    v.own_begin.push_back(0);
    v.own_entries.reserve(src.frames.size());
    std::vector<uint32_t> kept;
    for (size_t l = 0; l < n_lists; ++l) {
      const FrameId* f = src.frames.data() + src.begin[l];
      if (!filter_stack(p, fb, f, src.begin[l + 1] - src.begin[l], v.own_entries, kept)) continue;
      stack_of[l] = static_cast<uint32_t>(v.own_begin.size() - 1);
      v.own_begin.push_back(static_cast<uint32_t>(v.own_entries.size()));
    }
    v.point_at_own();
  }
  add_weights(p, o, tag_keep, stack_of, v);
  return v;
}

// A trie profile (folded, Chrome): one forward pass, parents before children. Frames of these
// inputs are not inlined, so every frame is its own location.
StackView view_of_trie(const Profile& p, const ViewOptions& o, const FrameBits& fb,
                       const std::vector<uint8_t>& tag_keep) {
  const auto& nodes = p.stacks();
  const size_t n = nodes.size();
  StackView v;
  v.lists = false;
  std::vector<uint32_t> stack_of(n, UINT32_MAX);
  if (!(fb.focus || fb.ignore || fb.hide || fb.show || fb.from || fb.prune)) {
    v.borrowed = true;
    v.own_parent.resize(n);
    v.own_entries.resize(n);
    for (size_t i = 0; i < n; ++i) {
      v.own_parent[i] = nodes[i].parent;
      v.own_entries[i] = nodes[i].frame;
      stack_of[i] = i == 0 ? UINT32_MAX : static_cast<uint32_t>(i);
    }
    v.point_at_own();
    add_weights(p, o, tag_keep, stack_of, v);
    return v;
  }
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> vnode(n, 0), prune_node(n, kNone);
  std::vector<uint8_t> focused(n, 0), ignored(n, 0), started(n, fb.from ? 0 : 1);
  std::unordered_map<uint64_t, uint32_t> index;  // (view parent, frame) -> view node
  v.own_parent.push_back(0);
  v.own_entries.push_back(0);
  auto child = [&](uint32_t parent, FrameId f) {
    auto [it, fresh] = index.try_emplace(uint64_t(parent) << 32 | f,
                                         static_cast<uint32_t>(v.own_parent.size()));
    if (fresh) {
      v.own_parent.push_back(parent);
      v.own_entries.push_back(f);
    }
    return it->second;
  };
  std::vector<uint32_t> kept;
  for (size_t i = 1; i < n; ++i) {
    const uint32_t up = nodes[i].parent;
    const FrameId f = nodes[i].frame;
    LocationOutcome lo = filter_location(fb, &f, 1, kept);
    ignored[i] = ignored[up] | lo.ignore;
    focused[i] = focused[up] | lo.focus;
    vnode[i] = vnode[up];
    started[i] = started[up];
    prune_node[i] = prune_node[up];
    if (kept.empty()) continue;  // hidden
    if (!started[i]) {
      if (!lo.from) continue;
      started[i] = 1;
      vnode[i] = child(0, f);
    } else {
      vnode[i] = child(vnode[up], f);
    }
    if (lo.prune) prune_node[i] = vnode[i];
  }
  for (size_t i = 1; i < n; ++i)
    if (focused[i] && !ignored[i] && started[i] && vnode[i] != 0)
      stack_of[i] = prune_node[i] != kNone ? prune_node[i] : vnode[i];
  v.point_at_own();
  add_weights(p, o, tag_keep, stack_of, v);
  return v;
}

}  // namespace

StackView build_view(const Profile& p, const ViewOptions& o) {
  FrameBits fb(p, o.filter);
  std::vector<uint8_t> tag_keep = tag_kept(p, o.filter);
  if (p.has_deferred_stacks()) return view_of_lists(p, o, fb, tag_keep);
  return view_of_trie(p, o, fb, tag_keep);
}

uint64_t view_entries(const StackView& v, bool per_sample) {
  std::vector<uint32_t> depth;
  if (!v.lists) {  // trie: a node's parent comes before it
    depth.assign(v.count, 0);
    for (size_t n = 1; n < v.count; ++n) depth[n] = depth[v.parent[n]] + 1;
  }
  auto length = [&](uint32_t s) -> uint64_t {
    return v.lists ? v.begin[s + 1] - v.begin[s] : depth[s];
  };
  uint64_t total = 0;
  if (per_sample) {
    for (uint32_t s : v.sample_stack)
      if (s != UINT32_MAX) total += length(s);
    return total;
  }
  for (size_t s = 0; s < v.count; ++s)
    if (v.w[s] != 0 || (s < v.dw.size() && v.dw[s] != 0)) total += length(static_cast<uint32_t>(s));
  return total;
}

int64_t pprof_total(const Profile& p, int value_index, bool mean) {
  if (value_index < 0) return 0;
  // Samples of a -diff_base base carry the label pprof::base=true; when there are any, the
  // total is theirs (pprof's computeTotal).
  const int64_t base_key = p.strings.find("pprof::base"), yes = p.strings.find("true");
  const auto& samples = p.has_deferred_stacks() ? p.stack_lists().samples : p.samples();
  auto is_base = [&](const Sample& s) {
    if (base_key < 0 || yes < 0) return false;
    for (uint32_t k = 0; k < s.label_count; ++k) {
      const Label& l = p.labels()[s.label_begin + k];
      if (l.key == static_cast<StrId>(base_key) && l.str == static_cast<StrId>(yes)) return true;
    }
    return false;
  };
  struct Acc {
    int64_t v = 0, d = 0;
    bool base = false;
  };
  // pprof sums |value| per sample of the merged profile: a -base profile's negated samples have
  // already been merged into the new one's equal samples (same stack and labels) and cancel.
  // Our merge keeps them apart, so with negative values present, equal samples are summed first.
  bool negative = false;
  for (size_t i = 0; i < p.sample_count() && !negative; ++i)
    negative = p.value(i, static_cast<size_t>(value_index)) < 0;
  std::vector<Acc> accs;
  if (!negative) {
    accs.reserve(p.sample_count());
    for (size_t i = 0; i < p.sample_count(); ++i)
      accs.push_back({p.value(i, static_cast<size_t>(value_index)), mean ? p.value(i, 0) : 0,
                      is_base(samples[i])});
  } else {
    std::unordered_map<std::string, size_t> index;
    std::string key;
    for (size_t i = 0; i < p.sample_count(); ++i) {
      const Sample& s = samples[i];
      key.assign(reinterpret_cast<const char*>(&s.stack), sizeof s.stack);
      for (uint32_t k = 0; k < s.label_count; ++k) {
        const Label& l = p.labels()[s.label_begin + k];
        key.append(reinterpret_cast<const char*>(&l.key), sizeof l.key);
        key.append(reinterpret_cast<const char*>(&l.str), sizeof l.str);
        key.append(reinterpret_cast<const char*>(&l.num), sizeof l.num);
        key.append(reinterpret_cast<const char*>(&l.num_unit), sizeof l.num_unit);
      }
      auto [it, fresh] = index.try_emplace(key, accs.size());
      if (fresh) accs.push_back({0, 0, is_base(s)});
      accs[it->second].v += p.value(i, static_cast<size_t>(value_index));
      if (mean) accs[it->second].d += p.value(i, 0);
    }
  }
  int64_t total = 0, div = 0, diff_total = 0, diff_div = 0;
  for (const Acc& a : accs) {
    const int64_t v = a.v < 0 ? -a.v : a.v;  // pprof: |value|, the divisor as it is
    total += v;
    div += a.d;
    if (a.base) {
      diff_total += v;
      diff_div += a.d;
    }
  }
  if (diff_total > 0) {
    total = diff_total;
    div = diff_div;
  }
  return div != 0 ? total / div : total;
}

// ---- label frames ----

void add_label_frames(Profile& p, const std::vector<std::string>& root_keys,
                      const std::vector<std::string>& leaf_keys, const std::string& unit,
                      bool& root_matched, bool& leaf_matched) {
  root_matched = leaf_matched = false;
  const bool lists = p.has_deferred_stacks();
  const size_t n = p.sample_count();
  auto frames_for = [&](const Sample& s, const std::vector<std::string>& keys, bool& matched) {
    std::vector<FrameId> out;  // in key order
    for (const std::string& key : keys) {
      std::string values;
      bool any = false;
      auto add = [&](const std::string& v) {
        values += (any ? "," : "") + v;
        any = true;
      };
      const Label* l = p.labels().data() + s.label_begin;
      for (uint32_t i = 0; i < s.label_count; ++i)
        if (l[i].str != 0 && p.str(l[i].key) == key) add(std::string(p.str(l[i].str)));
      for (uint32_t i = 0; i < s.label_count; ++i)
        if (l[i].str == 0 && p.str(l[i].key) == key)
          add(l[i].num_unit ? units::pprof_label(l[i].num, p.str(l[i].num_unit), unit)
                            : units::pprof_label(l[i].num, "", ""));
      matched = matched || any;
      Frame f;
      f.function = p.strings.intern(values);
      f.file = p.strings.intern(key);
      out.push_back(p.intern_frame(f));
    }
    return out;
  };
  std::unordered_map<std::string, uint32_t> made;  // (stack, frames) -> new stack
  std::vector<FrameId> path;
  for (size_t i = 0; i < n; ++i) {
    const Sample s = lists ? p.stack_lists().samples[i] : p.samples()[i];
    std::vector<FrameId> roots = frames_for(s, root_keys, root_matched);
    std::vector<FrameId> leaves = frames_for(s, leaf_keys, leaf_matched);
    std::string key(reinterpret_cast<const char*>(&s.stack), sizeof s.stack);
    for (FrameId f : roots) key.append(reinterpret_cast<const char*>(&f), sizeof f);
    key += '|';
    for (FrameId f : leaves) key.append(reinterpret_cast<const char*>(&f), sizeof f);
    auto [it, fresh] = made.try_emplace(key, 0);
    if (fresh) {
      path.assign(roots.begin(), roots.end());
      if (lists) {
        const Profile::StackLists sl = p.stack_lists();
        path.insert(path.end(), sl.frames.begin() + sl.begin[s.stack],
                    sl.frames.begin() + sl.begin[s.stack + 1]);
      } else {
        std::vector<FrameId> mid = p.stack_frames(s.stack);
        path.insert(path.end(), mid.begin(), mid.end());
      }
      path.insert(path.end(), leaves.begin(), leaves.end());
      if (lists) {
        it->second = p.add_stack_list(path.data(), path.size());
      } else {
        StackId st = kEmptyStack;
        for (FrameId f : path) st = p.child(st, f);
        it->second = st;
      }
    }
    p.set_sample_stack(i, it->second);
  }
}

// ---- tag filters ----

std::map<StrId, std::string> num_label_units(const Profile& p) {
  std::map<StrId, std::string> units;
  for (const Label& l : p.labels())
    if (l.str == 0 && l.num_unit != 0 && !p.str(l.num_unit).empty())
      units.try_emplace(l.key, std::string(p.str(l.num_unit)));
  for (const Label& l : p.labels()) {
    if (l.str != 0) continue;
    std::string_view k = p.str(l.key);
    units.try_emplace(l.key, k == "alignment" || k == "request" ? "bytes" : std::string(k));
  }
  return units;
}

struct TagFilter::Impl {
  std::string key;  // "" = any key
  bool numeric = false;
  // numeric: value in `unit` (pprof's canonical unit name) compared with lo/hi
  std::string unit;
  double lo = 0, hi = 0;
  bool has_lo = false, has_hi = false;
  std::vector<Regex> rx;
  std::map<StrId, std::string> num_units;  // key -> unit (pprof's NumLabelUnits)
};

namespace {

// pprof's tagFilterRangeRx "([+-]?[[:digit:]]+)([[:alpha:]]+)?": up to two (number, unit) runs.
struct RangeToken {
  std::string text, number, unit;
};
std::vector<RangeToken> range_tokens(std::string_view s) {
  std::vector<RangeToken> out;
  size_t i = 0;
  while (i < s.size() && out.size() < 2) {
    size_t start = i;
    size_t j = i;
    if (s[j] == '+' || s[j] == '-') ++j;
    size_t digits = j;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == digits) {
      ++i;
      continue;
    }
    size_t u = j;
    while (u < s.size() && std::isalpha(static_cast<unsigned char>(s[u]))) ++u;
    out.push_back({std::string(s.substr(start, u - start)), std::string(s.substr(start, j - start)),
                   std::string(s.substr(j, u - j))});
    i = u;
  }
  return out;
}

}  // namespace

TagFilter::TagFilter(const Profile& p, const std::string& flag, const std::string& spec_in) {
  auto impl = std::make_shared<Impl>();
  std::string value = spec_in;
  if (size_t eq = spec_in.find('='); eq != std::string::npos) {
    impl->key = spec_in.substr(0, eq);
    value = spec_in.substr(eq + 1);
  }
  impl->num_units = num_label_units(p);
  std::vector<RangeToken> t = range_tokens(value);
  auto scaled = [](const RangeToken& r, const std::string& to) {
    int64_t v = std::strtoll(r.number.c_str(), nullptr, 10);
    return units::pprof_scale(v, r.unit, to.empty() ? r.unit : to);
  };
  if (!t.empty()) {
    units::Scaled a = scaled(t[0], "");
    if (t.size() == 1) {
      if (value == t[0].text) {
        impl->numeric = impl->has_lo = impl->has_hi = true;
        impl->lo = impl->hi = a.value;
      } else if (value == t[0].text + ":") {
        impl->numeric = impl->has_lo = true;
        impl->lo = a.value;
      } else if (value == ":" + t[0].text) {
        impl->numeric = impl->has_hi = true;
        impl->hi = a.value;
      }
      impl->unit = a.unit;
    } else if (value == t[0].text + ":" + t[1].text) {
      units::Scaled b = scaled(t[1], a.unit);
      if (b.unit == a.unit) {
        impl->numeric = impl->has_lo = impl->has_hi = true;
        impl->lo = a.value;
        impl->hi = b.value;
        impl->unit = a.unit;
      }
    }
  }
  if (!impl->numeric) {
    size_t start = 0;
    while (true) {
      size_t comma = value.find(',', start);
      impl->rx.push_back(compile_option_regex(flag, value.substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  impl_ = impl;
}

bool TagFilter::matches(const Profile& p, const Sample& s) const {
  const Impl& f = *impl_;
  const Label* labels = p.labels().data() + s.label_begin;
  if (f.numeric) {
    for (uint32_t i = 0; i < s.label_count; ++i) {
      const Label& l = labels[i];
      if (l.str != 0 || (!f.key.empty() && p.str(l.key) != f.key)) continue;
      auto u = f.num_units.find(l.key);
      units::Scaled v = units::pprof_scale(l.num, u == f.num_units.end() ? "" : u->second, f.unit);
      if (v.unit != f.unit) continue;
      if ((!f.has_lo || v.value >= f.lo) && (!f.has_hi || v.value <= f.hi)) return true;
    }
    return false;
  }
  if (!f.key.empty()) {
    for (uint32_t i = 0; i < s.label_count; ++i) {
      const Label& l = labels[i];
      if (l.str == 0 || p.str(l.key) != f.key) continue;
      for (const Regex& rx : f.rx)
        if (rx.search(p.str(l.str))) return true;
    }
    return false;
  }
  for (const Regex& rx : f.rx) {
    bool hit = false;
    for (uint32_t i = 0; i < s.label_count && !hit; ++i) {
      const Label& l = labels[i];
      if (l.str == 0) continue;
      hit = rx.search(std::string(p.str(l.key)) + ":" + std::string(p.str(l.str)));
    }
    if (!hit) return false;
  }
  return true;
}

}  // namespace perfkit
