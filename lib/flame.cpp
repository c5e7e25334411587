#include "lib/flame.h"

#include <algorithm>

#include <fmt/format.h>

#include "lib/edge_index.h"
#include "lib/errors.h"
#include "lib/pprof_view.h"

namespace perfkit {

namespace {

constexpr std::string_view kRootName = "all";
constexpr std::string_view kUnknownName = "[unknown]";

// A forward tree has at most a node per trie node or list frame of its input; a reversed (leaf
// first) one is not bounded so: a trie of N nested spans, each with time of its own, reverses to
// up to N(N+1)/2 frames (50,000 spans made an 8.3 GB SVG at 7 GB of memory). A view of lists
// holds every stack in full already (the input spelled them out), and its reversal walks no more
// than that. Past what the views hold, a reversal is refused
//  - before it is built, when it would walk more than kMaxWrittenStackFrames entries (the cap of
//    the writers that list stacks in full), and
//  - while it is built, past kReversedNodesPerHeld nodes per entry the views hold (trie: a node),
//    or kMinReversedNodes if that is more: the tree is then at most ~75 MB past linear in the
//    input, and its SVG (176 bytes a drawn frame) ~180 MB, rendered in ~5 s. Measured reversed
//    over forward nodes: 1.75 and 1.54 on genprofiles pprof (1.1M and 4.3M reversed nodes), 4.6
//    on a clang -ftime-trace.
constexpr uint64_t kMinReversedNodes = uint64_t{1} << 20;
constexpr uint64_t kReversedNodesPerHeld = 8;

// Adds profiles' weighted stacks to a tree: trie node -> tree node by one hash lookup per edge.
class TreeBuilder {
 public:
  explicit TreeBuilder(FlameTree& t) : t_(t) {
    t_.nodes.clear();
    FlameNode root;
    root.name = t_.names.intern(kRootName);
    t_.nodes.push_back(root);
  }

  // only: no other profile is added to this tree (then nodes need no edge index when frames
  // map one to one to names, as in a folded file: the tree is the trie's needed part).
  void add(const Profile& p, const std::vector<int64_t>& w, bool base, bool only = false) {
    const auto& stacks = p.stacks();
    // Only trie nodes with weight at or below them become tree nodes.
    std::vector<uint8_t> needed(stacks.size(), 0);
    for (size_t s = stacks.size(); s-- > 1;) {
      if (w[s] < 0) {
        ++t_.dropped_negative;
        continue;
      }
      if (w[s] > 0) needed[s] = 1;
      if (needed[s]) needed[stacks[s].parent] = 1;
    }
    // Tree name ids per frame, interned lazily (frames no needed node uses are not interned).
    std::vector<uint32_t> name_map(p.strings.size(), kNoNode);
    std::vector<uint32_t> frame_name(p.frames().size(), kNoNode);
    auto name_of = [&](FrameId f) {
      uint32_t& name = frame_name[f];
      if (name != kNoNode) return name;
      StrId fn = p.frames()[f].function;
      uint32_t& by_str = name_map[fn];
      if (by_str == kNoNode) by_str = t_.names.intern(fn == 0 ? kUnknownName : p.str(fn));
      return name = by_str;
    };
    // Two children of one trie node have different frames; with one name per frame they have
    // different names too, so every needed trie node is a tree node of its own. (When two frames
    // share a name the edge index merges their nodes; the numbering is the same either way, trie
    // order, so this only picks the faster path.)
    bool direct = only && t_.nodes.size() == 1;
    if (direct) {
      std::vector<uint8_t> str_seen(p.strings.size(), 0);
      for (const Frame& f : p.frames()) {
        if (str_seen[f.function]) {
          direct = false;
          break;
        }
        str_seen[f.function] = 1;
      }
    }
    std::vector<uint32_t> tree_of(stacks.size(), kNoNode);
    tree_of[kEmptyStack] = 0;
    // At most one tree node per needed trie node: no vector regrowth (a copy of every node so
    // far, and fresh pages to fault in) while the tree is built.
    size_t most = t_.nodes.size();
    for (uint8_t n : needed) most += n;
    t_.nodes.reserve(most);
    links_.reserve(most);
    for (size_t s = 1; s < stacks.size(); ++s) {
      if (!needed[s]) continue;
      const uint32_t name = name_of(stacks[s].frame), parent = tree_of[stacks[s].parent];
      const uint32_t node = direct ? new_node(parent, name) : node_for(parent, name);
      tree_of[s] = node;
      if (w[s] > 0) (base ? t_.nodes[node].base_self : t_.nodes[node].self) += w[s];
    }
  }

  // A profile's deferred stack lists as they are (the stack trie is not built): each list with
  // weight walks down from the root, a frame's last (parent, node) remembered so that a prefix
  // shared with the previous lists costs no lookup. Gives the same nodes and values as add() on
  // the trie (node numbers may differ; parents still precede children). Returns false, adding
  // nothing, when some list's weight is negative: add() counts and drops negative trie stacks,
  // and lists that repeat a stack can add up to one.
  bool add_lists(const Profile& p, int vi) {
    const Profile::StackLists l = p.stack_lists();
    const size_t lists = l.begin.size() - 1;
    std::vector<int64_t> w(lists, 0);
    for (size_t i = 0; i < p.sample_count(); ++i)
      w[l.samples[i].stack] += p.value(i, static_cast<size_t>(vi));
    for (int64_t x : w)
      if (x < 0) return false;
    std::vector<uint32_t> name_map(p.strings.size(), kNoNode);
    std::vector<uint32_t> memo_parent(p.frames().size(), kNoNode), memo_node(p.frames().size());
    // At most one node per frame of the weighted lists: reserved (untouched pages cost nothing),
    // so the node vector never moves while it grows.
    size_t most = t_.nodes.size();
    for (size_t k = 0; k < lists; ++k)
      if (w[k] > 0) most += l.begin[k + 1] - l.begin[k];
    t_.nodes.reserve(most);
    links_.reserve(most);
    for (size_t k = 0; k < lists; ++k) {
      if (w[k] <= 0 || l.begin[k + 1] == l.begin[k]) continue;
      uint32_t node = 0;
      for (uint32_t i = l.begin[k]; i < l.begin[k + 1]; ++i) {
        const FrameId f = l.frames[i];
        if (memo_parent[f] == node) {
          node = memo_node[f];
          continue;
        }
        memo_parent[f] = node;
        StrId fn = p.frames()[f].function;
        uint32_t& name = name_map[fn];
        if (name == kNoNode) name = t_.names.intern(fn == 0 ? kUnknownName : p.str(fn));
        node = memo_node[f] = node_for(node, name);
      }
      t_.nodes[node].self += w[k];
    }
    return true;
  }

  // add_view(reverse) within the bounds above (the views of a differential tree count together).
  void add_reversed_view(const Profile& p, const StackView& v, bool base) {
    walked_ += view_entries(v);
    held_ += v.lists ? (v.count ? v.begin[v.count] : 0) : v.count;
    const uint64_t walk_limit = std::max(kMaxWrittenStackFrames, held_);
    if (walked_ > walk_limit)
      throw InputError::in_file(
          p.path, fmt::format("its stacks reversed (leaf first) walk {} frames, more than the {} "
                              "a reversed flame graph is built from (a trace's N nested spans, "
                              "each with time of its own, are N(N+1)/2 of them); draw it "
                              "unreversed, or narrow it with --focus or --prune-from",
                              walked_, walk_limit));
    node_budget_ = std::max(kMinReversedNodes, kReversedNodesPerHeld * held_);
    budget_path_ = &p.path;
    add_view(p, v, base, true);
  }

  // The stacks of a filtered view (pprof's filters: focus, ignore, hide, show, tags...), whose
  // entries are the profile's frame ids, root first; `reverse` puts the leaf at the root
  // (flamegraph.pl's --reverse: who calls the hottest leaves).
  void add_view(const Profile& p, const StackView& v, bool base, bool reverse) {
    std::vector<uint32_t> name_map(p.strings.size(), kNoNode);
    auto name_of = [&](uint32_t entry) {
      StrId fn = p.frames()[entry & kViewFrame].function;
      uint32_t& by_str = name_map[fn];
      if (by_str == kNoNode) by_str = t_.names.intern(fn == 0 ? kUnknownName : p.str(fn));
      return by_str;
    };
    auto add_self = [&](uint32_t node, int64_t w) {
      if (w < 0) ++t_.dropped_negative;
      else if (w > 0) (base ? t_.nodes[node].base_self : t_.nodes[node].self) += w;
    };
    if (v.lists) {
      for (size_t i = 0; i < v.count; ++i) {
        if (v.w[i] <= 0) {
          if (v.w[i] < 0) ++t_.dropped_negative;
          continue;
        }
        uint32_t node = 0;
        if (reverse)
          for (uint32_t e = v.begin[i + 1]; e-- > v.begin[i];) node = node_for(node, name_of(v.entries[e]));
        else
          for (uint32_t e = v.begin[i]; e < v.begin[i + 1]; ++e) node = node_for(node, name_of(v.entries[e]));
        add_self(node, v.w[i]);
        check_budget();
      }
      return;
    }
    if (reverse) {  // each weighted trie node's path, leaf first
      for (size_t n = 1; n < v.count; ++n) {
        if (v.w[n] <= 0) {
          if (v.w[n] < 0) ++t_.dropped_negative;
          continue;
        }
        uint32_t node = 0;
        for (size_t m = n; m != 0; m = v.parent[m]) node = node_for(node, name_of(v.entries[m]));
        add_self(node, v.w[n]);
        check_budget();
      }
      return;
    }
    // Trie: node 0 is the root; only nodes with weight at or below them become tree nodes.
    std::vector<uint8_t> needed(v.count, 0);
    for (size_t n = v.count; n-- > 1;) {
      if (v.w[n] > 0) needed[n] = 1;
      if (needed[n]) needed[v.parent[n]] = 1;
    }
    std::vector<uint32_t> tree_of(v.count, kNoNode);
    if (v.count) tree_of[0] = 0;
    for (size_t n = 1; n < v.count; ++n) {
      if (!needed[n]) {
        if (v.w[n] < 0) ++t_.dropped_negative;
        continue;
      }
      tree_of[n] = node_for(tree_of[v.parent[n]], name_of(v.entries[n]));
      add_self(tree_of[n], v.w[n]);
    }
  }

  // Inclusive values (parents precede children) and children linked in name order.
  void finish() {
    auto& nodes = t_.nodes;
    for (size_t i = 0; i < nodes.size(); ++i) {
      FlameNode& n = nodes[i];
      n.value = n.self;
      n.base_value = n.base_self;
      n.first_child = links_[i].first_child;
      n.next_sibling = links_[i].next_sibling;
      if (i) n.depth = nodes[n.parent].depth + 1;
    }
    for (size_t i = nodes.size(); i-- > 1;) {
      nodes[nodes[i].parent].value += nodes[i].value;
      nodes[nodes[i].parent].base_value += nodes[i].base_value;
    }
    std::vector<uint32_t> by_name(t_.names.size());
    for (uint32_t i = 0; i < by_name.size(); ++i) by_name[i] = i;
    std::sort(by_name.begin(), by_name.end(),
              [&](uint32_t a, uint32_t b) { return t_.names[a] < t_.names[b]; });
    std::vector<uint32_t> rank(by_name.size());
    for (uint32_t i = 0; i < by_name.size(); ++i) rank[by_name[i]] = i;
    // Children are linked (node_for/new_node); lists of two or more are sorted by name (most
    // nodes of a deep profile have one child: no sort of every node).
    std::vector<uint32_t> kids;
    for (FlameNode& n : nodes) {
      if (n.first_child == kNoNode || nodes[n.first_child].next_sibling == kNoNode) continue;
      kids.clear();
      for (uint32_t c = n.first_child; c != kNoNode; c = nodes[c].next_sibling) kids.push_back(c);
      std::sort(kids.begin(), kids.end(),
                [&](uint32_t a, uint32_t b) { return rank[nodes[a].name] < rank[nodes[b].name]; });
      n.first_child = kids[0];
      for (size_t k = 0; k + 1 < kids.size(); ++k) nodes[kids[k]].next_sibling = kids[k + 1];
      nodes[kids.back()].next_sibling = kNoNode;
    }
    t_.base_total = nodes[0].base_value;
  }

 private:
  void check_budget() const {
    if (t_.nodes.size() <= node_budget_) return;
    throw InputError::in_file(
        *budget_path_,
        fmt::format("its reversed flame graph would have more than {} frames (the larger of "
                    "{} and {} per frame its stacks hold; a trace's N nested spans, each with "
                    "time of its own, reverse to up to N(N+1)/2); draw it unreversed, or narrow "
                    "it with --focus or --prune-from",
                    node_budget_, kMinReversedNodes, kReversedNodesPerHeld));
  }

  // A node's children are found on its list (FlameNode::first_child / next_sibling, relinked in
  // name order by finish) until it has more than kListed of them; then in edges_ too. Most nodes
  // of a deep profile have one child, so a lookup touches the node just made, not a random slot
  // of a table of millions.
  static constexpr uint32_t kListed = 8;
  uint32_t node_for(uint32_t parent, uint32_t name) {
    if (links_[parent].kids <= kListed) {
      for (uint32_t c = links_[parent].first_child; c != kNoNode; c = links_[c].next_sibling)
        if (links_[c].name == name) return c;
      const uint32_t node = new_node(parent, name);
      if (links_[parent].kids > kListed)
        for (uint32_t c = links_[parent].first_child; c != kNoNode; c = links_[c].next_sibling)
          edges_.find_or_insert(parent, links_[c].name, c);
      return node;
    }
    const auto next = static_cast<uint32_t>(t_.nodes.size());
    uint32_t node = edges_.find_or_insert(parent, name, next);  // 0 is the root, never a child
    return node == next ? new_node(parent, name) : node;
  }
  uint32_t new_node(uint32_t parent, uint32_t name) {
    FlameNode n;
    n.parent = parent;
    n.name = name;
    const auto id = static_cast<uint32_t>(t_.nodes.size());
    t_.nodes.push_back(n);
    links_.push_back(Link{name, kNoNode, links_[parent].first_child, 0});
    links_[parent].first_child = id;
    ++links_[parent].kids;
    return id;
  }

  FlameTree& t_;
  uint64_t walked_ = 0, held_ = 0;  // reversed views: entries walked, entries (nodes) held
  uint64_t node_budget_ = UINT64_MAX;
  const std::string* budget_path_ = nullptr;
  EdgeIndex edges_;  // (parent, name) -> node, for nodes with many children
  // The tree's edges while it is built, beside the nodes: a lookup walks 16-byte links, not
  // 56-byte nodes (finish copies them into the nodes, and sets the depths).
  struct Link {
    uint32_t name = 0;
    uint32_t first_child = kNoNode, next_sibling = kNoNode;
    uint32_t kids = 0;  // children so far
  };
  std::vector<Link> links_{Link{}};
};

int chosen_index(const Profile& p, const FlameOptions& o) {
  return o.value_index >= 0 ? o.value_index : p.default_value_index();
}

void set_value_type(FlameTree& t, const Profile& p, int vi) {
  if (vi < 0) return;
  const ValueType& vt = p.value_types[vi];
  t.type = p.str(vt.type);
  t.unit = p.str(vt.unit);
  t.scale = vt.scale;
}

}  // namespace

FlameTree build_flame_tree(const Profile& p, const FlameOptions& opts) {
  FlameTree t;
  TreeBuilder b(t);
  int vi = chosen_index(p, opts);
  set_value_type(t, p, vi);
  if (opts.filter.empty() && !opts.reverse) {
    // With vi < 0 there is no value: an empty tree either way.
    if (!p.has_deferred_stacks() || (vi >= 0 && !b.add_lists(p, vi)))
      b.add(p, stack_weights(p, vi, opts.filter), false, true);
  } else if (vi >= 0) {
    ViewOptions vo;
    vo.value_index = vi;
    vo.filter = opts.filter;
    const StackView v = build_view(p, vo);
    if (opts.reverse) b.add_reversed_view(p, v, false);
    else b.add_view(p, v, false, false);
  }
  b.finish();
  return t;
}

FlameTree build_diff_flame_tree(const Profile& base, const Profile& cur,
                                const FlameOptions& base_opts, const FlameOptions& cur_opts) {
  FlameTree t;
  t.differential = true;
  TreeBuilder b(t);
  int bi = chosen_index(base, base_opts), ci = chosen_index(cur, cur_opts);
  set_value_type(t, cur, ci);
  auto add = [&](const Profile& p, int vi, const FlameOptions& o, bool is_base) {
    if (o.filter.empty() && !o.reverse) return b.add(p, stack_weights(p, vi, o.filter), is_base);
    if (vi < 0) return;
    ViewOptions vo;
    vo.value_index = vi;
    vo.filter = o.filter;
    const StackView v = build_view(p, vo);
    if (o.reverse) b.add_reversed_view(p, v, is_base);
    else b.add_view(p, v, is_base, false);
  };
  add(cur, ci, cur_opts, false);
  add(base, bi, base_opts, true);
  b.finish();
  return t;
}

std::vector<double> flame_deltas(const FlameTree& t, DiffBy by, bool normalize) {
  double k = 1;
  if (normalize && t.base_total != 0) k = double(t.total()) / double(t.base_total);
  std::vector<double> d(t.nodes.size());
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const FlameNode& n = t.nodes[i];
    d[i] = by == DiffBy::kSelf ? double(n.self) - double(n.base_self) * k
                               : double(n.value) - double(n.base_value) * k;
  }
  return d;
}

std::vector<uint8_t> flame_visible(const FlameTree& t, double min_fraction) {
  std::vector<uint8_t> vis(t.nodes.size(), 0);
  if (t.nodes.empty()) return vis;
  double limit = min_fraction * double(t.total());
  vis[0] = t.total() > 0;
  for (size_t i = 1; i < t.nodes.size(); ++i) {
    const FlameNode& n = t.nodes[i];
    vis[i] = vis[n.parent] && n.value > 0 && double(n.value) >= limit;
  }
  return vis;
}

std::vector<int64_t> flame_offsets(const FlameTree& t) {
  std::vector<int64_t> off(t.nodes.size(), 0);
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    int64_t x = off[i];
    for (uint32_t c = t.nodes[i].first_child; c != kNoNode; c = t.nodes[c].next_sibling) {
      off[c] = x;
      x += t.nodes[c].value;
    }
  }
  return off;
}

std::string flame_path(const FlameTree& t, uint32_t node, char sep) {
  std::vector<uint32_t> path;
  for (uint32_t n = node; n != 0 && n != kNoNode; n = t.nodes[n].parent) path.push_back(n);
  std::string out;
  for (size_t i = path.size(); i-- > 0;) {
    if (!out.empty() || i + 1 < path.size()) out += sep;
    out += t.names[t.nodes[path[i]].name];
  }
  return out;
}

}  // namespace perfkit
