#include "lib/aggregate.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/errors.h"
#include "lib/parallel.h"
#include "lib/regex.h"

namespace perfkit {

namespace {

// Per frame: does the regex match its function or file name? Evaluated once per distinct frame.
std::vector<uint8_t> match_frames(const Profile& p, const std::string& flag, const std::string& re) {
  std::vector<uint8_t> out;
  if (re.empty()) return out;
  Regex rx = compile_option_regex(flag, re);
  out.resize(p.frames().size());
  std::unordered_map<StrId, uint8_t> memo;
  auto matches = [&](StrId s) {
    auto it = memo.find(s);
    if (it != memo.end()) return it->second;
    std::string_view v = p.str(s);
    uint8_t m = rx.search(v) ? 1 : 0;
    memo.emplace(s, m);
    return m;
  };
  for (size_t i = 0; i < p.frames().size(); ++i) {
    const Frame& f = p.frames()[i];
    out[i] = matches(f.function) || (f.file != 0 && matches(f.file));
  }
  return out;
}

// Per stack node: does any frame on the path to the root match? Parents precede children in
// the trie, so one forward pass suffices.
std::vector<uint8_t> path_matches(const Profile& p, const std::vector<uint8_t>& frame_match) {
  const auto& nodes = p.stacks();
  std::vector<uint8_t> out(nodes.size(), 0);
  for (size_t i = 1; i < nodes.size(); ++i)
    out[i] = out[nodes[i].parent] | frame_match[nodes[i].frame];
  return out;
}

FlatTable aggregate_rows(const Profile& p, const AggregateOptions& opts) {
  FlatTable t;
  t.type = "time";
  t.unit = "seconds";
  t.scale = 1000000000;
  Regex focus, ignore;
  bool has_focus = !opts.filter.focus.empty(), has_ignore = !opts.filter.ignore.empty();
  if (has_focus) focus = compile_option_regex("--focus", opts.filter.focus);
  if (has_ignore) ignore = compile_option_regex("--ignore", opts.filter.ignore);
  std::unordered_map<uint64_t, size_t> index;
  for (const TableRow& r : p.rows) {
    t.total += std::llabs(r.self_ns);
    std::string_view name = p.str(r.name), file = p.str(r.file);
    auto hit = [&](const Regex& rx) { return rx.search(name) || rx.search(file); };
    if (has_ignore && hit(ignore)) continue;
    if (has_focus && !hit(focus)) continue;
    t.kept_total += std::llabs(r.self_ns);
    uint64_t key = opts.by == Granularity::kFile ? r.file
                   : opts.by == Granularity::kLine
                       ? (static_cast<uint64_t>(r.name) << 32 | r.file) ^ (uint64_t(r.line) << 48)
                       : (static_cast<uint64_t>(r.name) << 32 | r.file);
    auto [it, inserted] = index.try_emplace(key, t.rows.size());
    if (inserted) {
      FlatRow row;
      row.name = opts.by == Granularity::kFile ? r.file : r.name;
      row.file = r.file;
      row.line = opts.by == Granularity::kLine ? r.line : 0;
      row.calls = 0;
      row.primitive_calls = r.primitive_calls >= 0 ? 0 : -1;
      t.rows.push_back(row);
    }
    FlatRow& row = t.rows[it->second];
    row.flat += r.self_ns;
    // Rows of one key (a file) may nest in each other; the largest total is a lower bound that
    // never double counts.
    row.cum = opts.by == Granularity::kFile ? std::max(row.cum, r.total_ns) : row.cum + r.total_ns;
    if (r.calls < 0 || row.calls < 0) row.calls = -1;
    else row.calls += r.calls;
    if (row.primitive_calls >= 0 && r.primitive_calls >= 0) row.primitive_calls += r.primitive_calls;
  }
  return t;
}

}  // namespace

int resolve_value_index(const Profile& p, const std::string& name_or_index) {
  if (name_or_index.empty()) return p.default_value_index();
  int i = p.find_value_type(name_or_index);
  if (i >= 0) return i;
  char* end = nullptr;
  long n = std::strtol(name_or_index.c_str(), &end, 10);
  if (end && *end == '\0' && n >= 0 && n < static_cast<long>(p.value_types.size()))
    return static_cast<int>(n);
  std::string names;
  for (const auto& vt : p.value_types) names += std::string(names.empty() ? "" : ", ") +
                                                std::string(p.str(vt.type));
  throw UsageError(fmt::format("--sample-index {}: {} has no such value type (it has: {})",
                               name_or_index, p.path, names.empty() ? "none" : names));
}

std::vector<int64_t> stack_weights(const Profile& p, int value_index, const SampleFilter& filter) {
  std::vector<int64_t> w(p.stacks().size(), 0);
  if (value_index < 0) return w;
  std::vector<uint8_t> focus_path, ignore_path;
  if (!filter.focus.empty()) focus_path = path_matches(p, match_frames(p, "--focus", filter.focus));
  if (!filter.ignore.empty())
    ignore_path = path_matches(p, match_frames(p, "--ignore", filter.ignore));
  const auto& samples = p.samples();
  for (size_t i = 0; i < samples.size(); ++i) {
    StackId s = samples[i].stack;
    if (!ignore_path.empty() && ignore_path[s]) continue;
    if (!focus_path.empty() && !focus_path[s]) continue;
    w[s] += p.value(i, static_cast<size_t>(value_index));
  }
  return w;
}

namespace {

constexpr uint32_t kNoKey = UINT32_MAX;

// What aggregation adds up per key (row), from the trie or from deferred stack lists.
struct KeyTally {
  std::vector<int64_t> flat, cum;
  std::vector<uint8_t> used;        // some kept, weighted stack passes through the key
  std::vector<uint8_t> call_kinds;  // calls seen inlined (bit 1) and not inlined (bit 2)
  int64_t kept_total = 0;
  explicit KeyTally(size_t keys) : flat(keys, 0), cum(keys, 0), used(keys, 0), call_kinds(keys, 0) {}
  void add(const KeyTally& o) {
    for (size_t k = 0; k < flat.size(); ++k) {
      flat[k] += o.flat[k];
      cum[k] += o.cum[k];
      used[k] |= o.used[k];
      call_kinds[k] |= o.call_kinds[k];
    }
    kept_total += o.kept_total;
  }
};

// key[f]: the row of frame f, kNoKey when --hide removes it.
KeyTally tally_trie(const Profile& p, int value_index, const SampleFilter& filter,
                    const std::vector<uint32_t>& key, size_t keys) {
  KeyTally t(keys);
  std::vector<int64_t> w = stack_weights(p, value_index, filter);
  const auto& frames = p.frames();
  // One pass over the trie, never per stack (a chain 1,000,000 deep stays linear). Parents have
  // smaller ids than their children, so forward passes see parents first, reverse passes children.
  const auto& nodes = p.stacks();
  const size_t n_nodes = nodes.size();
  auto key_of = [&](size_t n) -> uint32_t { return key[nodes[n].frame]; };
  // nearest[n]: the leaf-most kept node on the path root..n (kNoKey if all hidden).
  std::vector<uint32_t> nearest(n_nodes, kNoKey);
  for (size_t n = 1; n < n_nodes; ++n)
    nearest[n] = key_of(n) != kNoKey ? static_cast<uint32_t>(n) : nearest[nodes[n].parent];
  // sub[n]: weight of the subtree; live[n]: some weighted sample passes through n.
  std::vector<int64_t> sub(w.begin(), w.end());
  std::vector<uint8_t> live(n_nodes, 0);
  for (size_t n = n_nodes - 1; n >= 1; --n) {
    if (w[n] != 0) {
      live[n] = 1;
      t.kept_total += std::llabs(w[n]);
      if (nearest[n] != kNoKey) t.flat[key_of(nearest[n])] += w[n];
    }
    if (live[n]) {
      sub[nodes[n].parent] += sub[n];
      live[nodes[n].parent] = 1;
    }
  }
  // Children lists (CSR) of live nodes, then an iterative depth-first walk that counts each key
  // once per path: cum(key) = sum of sub[n] over the root-most occurrences of the key.
  std::vector<uint32_t> child_begin(n_nodes + 1, 0);
  for (size_t n = 1; n < n_nodes; ++n)
    if (live[n]) ++child_begin[nodes[n].parent + 1];
  for (size_t n = 0; n < n_nodes; ++n) child_begin[n + 1] += child_begin[n];
  std::vector<uint32_t> children(child_begin[n_nodes]);
  {
    std::vector<uint32_t> fill(child_begin.begin(), child_begin.end() - 1);
    for (size_t n = 1; n < n_nodes; ++n)
      if (live[n]) children[fill[nodes[n].parent]++] = static_cast<uint32_t>(n);
  }
  std::vector<uint32_t> on_path(keys, 0);
  struct Visit {
    uint32_t node;
    uint32_t next_child;
  };
  std::vector<Visit> stack;
  stack.push_back({0, child_begin[0]});
  while (!stack.empty()) {
    Visit& v = stack.back();
    if (v.next_child < child_begin[v.node + 1]) {
      uint32_t c = children[v.next_child++];
      uint32_t k = key_of(c);
      if (k != kNoKey) {
        t.used[k] = 1;
        if (on_path[k]++ == 0) t.cum[k] += sub[c];
        uint32_t caller = nearest[nodes[c].parent];
        if (caller != kNoKey && key_of(caller) != k)
          t.call_kinds[k] |= frames[nodes[c].frame].inlined ? 1 : 2;
      }
      stack.push_back({c, child_begin[c]});
    } else {
      uint32_t k = v.node == 0 ? kNoKey : key_of(v.node);
      if (k != kNoKey) --on_path[k];
      stack.pop_back();
    }
  }
  return t;
}

// The same sums straight from deferred stack lists, without building the trie: per list, flat
// goes to its leaf-most kept frame and cum once to each key on it. Lists are split across
// threads; integer sums do not depend on the split. A stack repeated as several lists adds up
// as the trie would as long as no weight is negative (then live = some part is nonzero, and
// |w| sums); the caller uses the trie when the column has a negative value.
KeyTally tally_lists(const Profile& p, int value_index, const SampleFilter& filter,
                     const std::vector<uint32_t>& key, size_t keys, unsigned jobs) {
  const Profile::StackLists lists = p.stack_lists();
  const size_t n_lists = lists.begin.size() - 1;
  const auto& frames = p.frames();
  std::vector<uint8_t> drop;  // per list: rejected by --focus/--ignore
  if (!filter.focus.empty() || !filter.ignore.empty()) {
    std::vector<uint8_t> focus, ignore;
    if (!filter.focus.empty()) focus = match_frames(p, "--focus", filter.focus);
    if (!filter.ignore.empty()) ignore = match_frames(p, "--ignore", filter.ignore);
    drop.assign(n_lists, 0);
    for (size_t l = 0; l < n_lists; ++l) {
      bool has_focus = focus.empty(), has_ignore = false;
      for (uint32_t i = lists.begin[l]; i < lists.begin[l + 1]; ++i) {
        FrameId f = lists.frames[i];
        has_focus = has_focus || focus[f];
        has_ignore = has_ignore || (!ignore.empty() && ignore[f]);
      }
      drop[l] = has_ignore || !has_focus;
    }
  }
  std::vector<int64_t> w(n_lists, 0);
  for (size_t i = 0; i < lists.samples.size(); ++i) {
    uint32_t l = lists.samples[i].stack;
    if (drop.empty() || !drop[l]) w[l] += p.value(i, static_cast<size_t>(value_index));
  }
  // Per frame, its key and (top bit) whether it is inlined: one small array in the hot loop.
  constexpr uint32_t kInlined = 0x80000000u;
  std::vector<uint32_t> key_inl(key.size());
  for (size_t f = 0; f < key.size(); ++f)
    key_inl[f] = key[f] == kNoKey ? kNoKey : key[f] | (frames[f].inlined ? kInlined : 0);
  const size_t shares = n_lists < 20000 ? 1 : thread_count(jobs);
  std::vector<KeyTally> parts(shares, KeyTally(0));
  parallel_for(shares, jobs, [&](size_t part) {
    KeyTally t(keys);
    std::vector<uint32_t> seen(keys, UINT32_MAX);  // last list that added the key's cum
    for (size_t l = n_lists * part / shares, end = n_lists * (part + 1) / shares; l < end; ++l) {
      if (w[l] == 0) continue;
      t.kept_total += std::llabs(w[l]);
      uint32_t caller = kNoKey;
      for (uint32_t i = lists.begin[l]; i < lists.begin[l + 1]; ++i) {
        const uint32_t ki = key_inl[lists.frames[i]];
        if (ki == kNoKey) continue;
        const uint32_t k = ki & ~kInlined;
        if (seen[k] != l) {
          seen[k] = static_cast<uint32_t>(l);
          t.cum[k] += w[l];
        }
        if (caller != kNoKey && caller != k) t.call_kinds[k] |= (ki & kInlined) ? 1 : 2;
        caller = k;
      }
      if (caller != kNoKey) t.flat[caller] += w[l];
    }
    for (size_t k = 0; k < keys; ++k) t.used[k] = seen[k] != UINT32_MAX;
    parts[part] = std::move(t);
  });
  for (size_t i = 1; i < shares; ++i) parts[0].add(parts[i]);
  return std::move(parts[0]);
}

}  // namespace

FlatTable aggregate(const Profile& p, const AggregateOptions& opts) {
  if (p.sample_count() == 0 && !p.rows.empty()) return aggregate_rows(p, opts);
  FlatTable t;
  t.value_index = opts.value_index >= 0 ? opts.value_index : p.default_value_index();
  if (t.value_index < 0) return t;
  const ValueType& vt = p.value_types[t.value_index];
  t.type = p.str(vt.type);
  t.unit = p.str(vt.unit);
  t.scale = vt.scale;
  bool negative = false;  // some value below 0: see tally_lists
  for (size_t i = 0; i < p.sample_count(); ++i) {
    const int64_t v = p.value(i, static_cast<size_t>(t.value_index));
    negative = negative || v < 0;
    t.total += std::llabs(v);
  }

  std::vector<uint8_t> hidden = match_frames(p, "--hide", opts.filter.hide);

  // Row (key) per frame, by granularity; kNoKey for hidden frames.
  const auto& frames = p.frames();
  std::vector<uint32_t> frame_key(frames.size());
  std::unordered_map<uint64_t, uint32_t> node_index;
  for (size_t i = 0; i < frames.size(); ++i) {
    const Frame& f = frames[i];
    uint64_t key;
    switch (opts.by) {
      case Granularity::kFile: key = f.file; break;
      case Granularity::kLine:
        key = (static_cast<uint64_t>(f.function) << 32 | f.file) * 0x9E3779B97F4A7C15ULL ^
              static_cast<uint64_t>(f.line);
        break;
      default: key = static_cast<uint64_t>(f.function) << 32 | f.file;
    }
    auto [it, inserted] = node_index.try_emplace(key, static_cast<uint32_t>(t.rows.size()));
    if (inserted) {
      FlatRow row;
      row.name = opts.by == Granularity::kFile ? f.file : f.function;
      row.file = f.file;
      row.line = opts.by == Granularity::kLine ? f.line : 0;
      t.rows.push_back(row);
    }
    frame_key[i] = !hidden.empty() && hidden[i] ? kNoKey : it->second;
  }

  const bool lists = p.has_deferred_stacks() && !negative;
  KeyTally tally = lists ? tally_lists(p, t.value_index, opts.filter, frame_key, t.rows.size(), opts.jobs)
                         : tally_trie(p, t.value_index, opts.filter, frame_key, t.rows.size());
  t.kept_total = tally.kept_total;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    t.rows[i].flat = tally.flat[i];
    t.rows[i].cum = tally.cum[i];
    t.rows[i].inlined = tally.call_kinds[i] == 1;
    t.rows[i].partial_inline = tally.call_kinds[i] == 3;
  }
  // Drop nodes no kept sample touched.
  size_t out = 0;
  for (size_t i = 0; i < t.rows.size(); ++i)
    if (tally.used[i]) t.rows[out++] = t.rows[i];
  t.rows.resize(out);

  // Traces: calls = number of spans per name (function granularity).
  if (!p.spans.empty() && opts.by == Granularity::kFunction) {
    std::unordered_map<StrId, int64_t> count;
    for (const Span& sp : p.spans)
      if (sp.kind == SpanKind::kComplete && !sp.summary) ++count[sp.name];
    for (FlatRow& r : t.rows) {
      auto it = count.find(r.name);
      r.calls = it == count.end() ? -1 : it->second;
    }
  }
  return t;
}

void sort_rows(const Profile& p, std::vector<FlatRow>& rows, SortKey key) {
  auto by_name = [&](const FlatRow& a, const FlatRow& b) {
    std::string_view an = p.str(a.name), bn = p.str(b.name);
    if (an != bn) return an < bn;
    std::string_view af = p.str(a.file), bf = p.str(b.file);
    if (af != bf) return af < bf;
    return a.line < b.line;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const FlatRow& a, const FlatRow& b) {
    int64_t af = std::llabs(a.flat), bf = std::llabs(b.flat);
    int64_t ac = std::llabs(a.cum), bc = std::llabs(b.cum);
    if (key == SortKey::kFlat && af != bf) return af > bf;
    if (key == SortKey::kCum && ac != bc) return ac > bc;
    if (key != SortKey::kName) {
      std::string_view an = p.str(a.name), bn = p.str(b.name);
      if (an != bn) return an < bn;
      if (key == SortKey::kFlat && ac != bc) return ac > bc;
      if (key == SortKey::kCum && af != bf) return af > bf;
    }
    return by_name(a, b);
  });
}

}  // namespace perfkit
