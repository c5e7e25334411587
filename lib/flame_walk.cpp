#include "lib/flame_walk.h"

#include <algorithm>
#include <bit>
#include <vector>

namespace perfkit {

namespace {

constexpr uint32_t kEnd = UINT32_MAX;  // the key of a position past a list's end: sorts last
constexpr size_t kAhead = 8;           // lists between a prefetch of a list's frames and its read

// Names by text: frame -> rank of its name among the names the frames use.
struct NameRanks {
  std::vector<uint32_t> of_frame;
  std::vector<std::string_view> text;  // by rank
};

NameRanks rank_names(const Profile& p) {
  // Names merge by text, as build_flame_tree interns them: strings are interned, so equal texts
  // are one StrId, but for a frame without a function name, which is "[unknown]" there.
  constexpr std::string_view kUnknown = "[unknown]";
  const int64_t found = p.strings.find(kUnknown);
  const auto unknown = static_cast<uint32_t>(found >= 0 ? found : p.strings.size());
  auto key = [&](const Frame& f) { return f.function == 0 ? unknown : f.function; };
  auto text = [&](uint32_t k) { return k == p.strings.size() ? kUnknown : p.str(k); };
  std::vector<uint32_t> rank(p.strings.size() + 1, kEnd), used;
  for (const Frame& f : p.frames()) {
    uint32_t& r = rank[key(f)];
    if (r == kEnd) r = 0, used.push_back(key(f));
  }
  std::sort(used.begin(), used.end(), [&](uint32_t a, uint32_t b) { return text(a) < text(b); });
  NameRanks n;
  n.text.reserve(used.size());
  for (uint32_t i = 0; i < used.size(); ++i) rank[used[i]] = i, n.text.push_back(text(used[i]));
  n.of_frame.reserve(p.frames().size());
  for (const Frame& f : p.frames()) n.of_frame.push_back(rank[key(f)]);
  return n;
}

// Sorts list ids by their name-rank sequences, kEnd past the end: most significant positions
// first, several positions per pass over a group of lists that agree so far (no recursion; work
// linear in the positions read). A key packs the ranks at d, d + 1, ... (as many as fit in 64
// bits, the end as the largest code), so comparing keys is comparing the positions in turn: a
// list's frames are a cache miss away, the next few positions are on the same line. shared[i]
// is set to the positions the list sorted at i shares with the one before it: where two
// neighbours are split apart, or all of a list when its group ended equal. names: how many
// ranks there are.
void sort_lists(std::vector<uint32_t>& order, const Profile::StackLists& l,
                const std::vector<uint32_t>& rank, size_t names, std::vector<uint32_t>& shared) {
  struct Group {
    size_t begin, end;
    uint32_t depth;
  };
  const unsigned bits = std::max(1u, static_cast<unsigned>(std::bit_width(names)));  // 2^bits - 1 > any rank
  const uint32_t per_pass = std::min(4u, 64u / std::max(1u, bits));
  const uint64_t end_code = (uint64_t{1} << bits) - 1;
  const unsigned unused = 64 - per_pass * bits;  // high bits of a key
  const uint32_t* const begin = l.begin.data();
  const FrameId* const frames = l.frames.data();
  auto key = [&](uint32_t list, uint32_t d) {
    const uint32_t b = begin[list], n = begin[list + 1] - b;
    uint64_t k = 0;
    for (uint32_t j = 0; j < per_pass; ++j) k = k << bits | (d + j < n ? rank[frames[b + d + j]] : end_code);
    return k;
  };
  auto ended = [&](uint64_t k) { return (k & end_code) == end_code; };  // no position past the key
  std::vector<Group> todo{{0, order.size(), 0}};
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  while (!todo.empty()) {
    const Group g = todo.back();
    todo.pop_back();
    if (g.end - g.begin < 2) continue;
    const uint32_t next = g.depth + per_pass;
    // The lists' frames lie far apart: each is asked for kAhead lists before it is read.
    for (size_t j = g.begin; j < std::min(g.end, g.begin + kAhead); ++j)
      __builtin_prefetch(&frames[begin[order[j]] + g.depth]);
    keyed.clear();
    bool same = true;
    for (size_t j = g.begin; j < g.end; ++j) {
      if (j + kAhead < g.end) __builtin_prefetch(&frames[begin[order[j + kAhead]] + g.depth]);
      keyed.emplace_back(key(order[j], g.depth), order[j]);
      same = same && keyed.back().first == keyed.front().first;
    }
    if (same) {  // all agree here: equal lists when all ended
      if (!ended(keyed.front().first)) {
        todo.push_back({g.begin, g.end, next});
        continue;
      }
      const uint32_t len = begin[order[g.begin] + 1] - begin[order[g.begin]];
      for (size_t j = g.begin + 1; j < g.end; ++j) shared[j] = len;
      continue;
    }
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t j = 0, run = 0; j < keyed.size(); ++j) {
      order[g.begin + j] = keyed[j].second;
      if (j + 1 == keyed.size() || keyed[j + 1].first != keyed[j].first) {
        if (!ended(keyed[j].first)) {
          todo.push_back({g.begin + run, g.begin + j + 1, next});
        } else {  // equal lists
          const uint32_t len = begin[keyed[j].second + 1] - begin[keyed[j].second];
          for (size_t e = g.begin + run + 1; e <= g.begin + j; ++e) shared[e] = len;
        }
        if (j + 1 < keyed.size()) {  // the positions both keys share
          const auto equal = static_cast<unsigned>(
              std::countl_zero(keyed[j + 1].first ^ keyed[j].first) - unused) / bits;
          shared[g.begin + j + 1] = g.depth + equal;
        }
        run = j + 1;
      }
    }
  }
}

}  // namespace

bool walk_flame_lists(const Profile& p, int vi,
                      const std::function<void(const FlameWalkNode&)>& visit) {
  if (!p.has_deferred_stacks() || vi < 0 || static_cast<size_t>(vi) >= p.value_types.size())
    return false;
  const Profile::StackLists l = p.stack_lists();
  const size_t lists = l.begin.size() - 1;
  std::vector<int64_t> w(lists, 0);
  for (size_t i = 0; i < p.sample_count(); ++i)
    w[l.samples[i].stack] += p.value(i, static_cast<size_t>(vi));
  std::vector<uint32_t> order;
  for (uint32_t k = 0; k < lists; ++k) {
    if (w[k] < 0) return false;
    if (w[k] > 0 && l.begin[k + 1] > l.begin[k]) order.push_back(k);
  }
  const NameRanks names = rank_names(p);
  const std::vector<uint32_t>& rank = names.of_frame;
  const size_t m = order.size();
  // Positions each list shares with the one before; a node opens at each position past them.
  std::vector<uint32_t> shared(m, 0);
  sort_lists(order, l, rank, names.text.size(), shared);
  // Left edges: the weight of the lists sorted before (see flame_walk.h).
  std::vector<int64_t> left(m + 1, 0);
  size_t nodes = 0;
  for (size_t i = 0; i < m; ++i) {
    left[i + 1] = left[i] + w[order[i]];
    nodes += l.begin[order[i] + 1] - l.begin[order[i]] - shared[i];
  }
  // Pass 1: each node's value and self, numbered in the order nodes open (the preorder).
  std::vector<int64_t> value, self;
  std::vector<uint32_t> name;    // rank of the node's name
  value.reserve(nodes);
  self.reserve(nodes);
  name.reserve(nodes);
  std::vector<uint32_t> sorted_len(m);  // the length of the list sorted at i (read in order)
  std::vector<uint32_t> open;    // node per depth - 1
  std::vector<size_t> started;   // sorted position it opened at
  for (size_t i = 0; i <= m; ++i) {
    const uint32_t keep = i < m ? shared[i] : 0;
    while (open.size() > keep) {
      value[open.back()] = left[i] - left[started.back()];
      open.pop_back();
      started.pop_back();
    }
    if (i == m) break;
    if (i + kAhead < m) __builtin_prefetch(&l.frames[l.begin[order[i + kAhead]] + shared[i + kAhead]]);
    const FrameId* f = &l.frames[l.begin[order[i]]];
    const uint32_t len = l.begin[order[i] + 1] - l.begin[order[i]];
    sorted_len[i] = len;
    for (uint32_t d = keep; d < len; ++d) {
      open.push_back(static_cast<uint32_t>(value.size()));
      started.push_back(i);
      value.push_back(0);
      self.push_back(0);
      name.push_back(rank[f[d]]);
    }
    self[open.back()] += w[order[i]];
  }
  // Pass 2: the same opening sequence, visited (the lists' frames are not read again).
  FlameWalkNode n;
  n.names = names.text.data();
  n.total = left[m];
  uint32_t next = 0;
  for (size_t i = 0; i < m; ++i) {
    const uint32_t len = sorted_len[i];
    for (uint32_t d = shared[i]; d < len; ++d, ++next) {
      n.depth = d + 1;
      n.name = name[next];
      n.offset = left[i];
      n.value = value[next];
      n.self = self[next];
      visit(n);
    }
  }
  return true;
}

}  // namespace perfkit
