#include "lib/pprof_graph.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/parallel.h"
#include "lib/pprof_names.h"

namespace perfkit {

NodeKey node_key(const Frame& f, Granularity by) {
  NodeKey k;
  if (by == Granularity::kAddress) k.address = f.address;
  if (f.unsymbolized) {  // pprof: NodeInfo{Address, Objfile} for a line without a function
    k.objfile = f.mapping;
    return k;
  }
  if (by != Granularity::kFile) k.name = f.function;
  if (by != Granularity::kFunction) k.file = f.file;
  if (by == Granularity::kLine || by == Granularity::kAddress) k.line = f.line;
  if (k.name == 0) {
    k.objfile = f.mapping;
    k.start_line = f.start_line;
  }
  return k;
}

namespace {

// Go's fmt.Sprint of a NodeInfo, pprof's last tie-break (compareNodes).
std::string sprint_info(const Profile& p, const NodeKey& k) {
  return fmt::format("{{{}  {} {} {} {} {}}}", p.str(k.name), k.address, p.str(k.file),
                     k.start_line, k.line, p.str(k.objfile));
}

struct KeyHash {
  size_t operator()(const NodeKey& k) const noexcept {
    uint64_t h = k.name;
    h = h * 0x9E3779B97F4A7C15ULL + k.file;
    h = h * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(k.line);
    h = h * 0x9E3779B97F4A7C15ULL + k.objfile;
    h = h * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(k.start_line);
    h = h * 0x9E3779B97F4A7C15ULL + k.address;
    return static_cast<size_t>(h ^ (h >> 31));
  }
};

constexpr uint32_t kNone = UINT32_MAX;

// Nodes of a granularity: key index per frame, and the keys.
struct Keys {
  std::vector<uint32_t> of_frame;
  std::vector<NodeKey> keys;
  std::vector<FrameId> first_frame;
  Keys(const Profile& p, Granularity by) : of_frame(p.frames().size()) {
    std::unordered_map<NodeKey, uint32_t, KeyHash> index;
    for (size_t f = 0; f < p.frames().size(); ++f) {
      NodeKey k = node_key(p.frames()[f], by);
      auto [it, fresh] = index.try_emplace(k, static_cast<uint32_t>(keys.size()));
      if (fresh) {
        keys.push_back(k);
        first_frame.push_back(static_cast<FrameId>(f));
      }
      of_frame[f] = it->second;
    }
  }
};

struct Tally {
  std::vector<int64_t> flat, cum, flat_div, cum_div;
  std::vector<uint8_t> inline_seen;  // some occurrence of the key is an inlined line
  explicit Tally(size_t n = 0)
      : flat(n, 0), cum(n, 0), flat_div(n, 0), cum_div(n, 0), inline_seen(n, 0) {}
  void add(const Tally& o) {
    for (size_t k = 0; k < flat.size(); ++k) {
      flat[k] += o.flat[k];
      cum[k] += o.cum[k];
      flat_div[k] += o.flat_div[k];
      cum_div[k] += o.cum_div[k];
      inline_seen[k] |= o.inline_seen[k];
    }
  }
};

bool entry_inline(const Profile& p, const StackView& v, uint32_t e) {
  return v.borrowed ? p.frames()[e].inlined : (e & kViewInline) != 0;
}

int64_t dw_of(const StackView& v, size_t s) { return v.dw.empty() ? 0 : v.dw[s]; }

Tally tally_lists(const Profile& p, const StackView& v, const Keys& keys, unsigned jobs) {
  const size_t n = v.stack_count(), nk = keys.keys.size();
  const size_t shares = n < 20000 ? 1 : thread_count(jobs);
  std::vector<Tally> parts(shares);
  parallel_for(shares, jobs, [&](size_t part) {
    Tally t(nk);
    std::vector<uint32_t> seen(nk, kNone);
    for (size_t l = n * part / shares, end = n * (part + 1) / shares; l < end; ++l) {
      const int64_t w = v.w[l], dw = dw_of(v, l);
      if (w == 0 && dw == 0) continue;
      uint32_t last = kNone;
      for (uint32_t i = v.begin[l]; i < v.begin[l + 1]; ++i) {
        const uint32_t e = v.entries[i];
        const uint32_t k = keys.of_frame[e & kViewFrame];
        if (seen[k] != l) {
          seen[k] = static_cast<uint32_t>(l);
          t.cum[k] += w;
          t.cum_div[k] += dw;
        }
        if (entry_inline(p, v, e)) t.inline_seen[k] = 1;
        last = k;
      }
      if (last != kNone) {
        t.flat[last] += w;
        t.flat_div[last] += dw;
      }
    }
    parts[part] = std::move(t);
  });
  for (size_t i = 1; i < shares; ++i) parts[0].add(parts[i]);
  return std::move(parts[0]);
}

// The view trie's children (CSR), subtree sums, and an iterative depth-first walk.
struct TrieWalk {
  std::vector<uint32_t> child_begin, children;
  std::vector<int64_t> sub, sub_div;
  explicit TrieWalk(const StackView& v) {
    const size_t n = v.stack_count();
    sub.assign(v.w.begin(), v.w.end());
    sub_div.assign(n, 0);
    if (!v.dw.empty()) sub_div.assign(v.dw.begin(), v.dw.end());
    for (size_t i = n; i-- > 1;) {
      sub[v.parent[i]] += sub[i];
      sub_div[v.parent[i]] += sub_div[i];
    }
    child_begin.assign(n + 1, 0);
    for (size_t i = 1; i < n; ++i) ++child_begin[v.parent[i] + 1];
    for (size_t i = 0; i < n; ++i) child_begin[i + 1] += child_begin[i];
    children.resize(child_begin[n]);
    std::vector<uint32_t> fill(child_begin.begin(), child_begin.end() - 1);
    for (size_t i = 1; i < n; ++i) children[fill[v.parent[i]]++] = static_cast<uint32_t>(i);
  }
  // enter(node) returns a token passed to leave(node, token) after the subtree.
  template <typename Enter, typename Leave>
  void walk(Enter enter, Leave leave) const {
    struct Visit {
      uint32_t node, next;
      uint64_t token;
    };
    std::vector<Visit> stack;
    stack.push_back({0, child_begin[0], 0});
    while (!stack.empty()) {
      Visit& top = stack.back();
      if (top.next < child_begin[top.node + 1]) {
        uint32_t c = children[top.next++];
        stack.push_back({c, child_begin[c], enter(c)});
      } else {
        if (top.node != 0) leave(top.node, top.token);
        stack.pop_back();
      }
    }
  }
};

Tally tally_trie(const Profile& p, const StackView& v, const Keys& keys, const TrieWalk& tw) {
  Tally t(keys.keys.size());
  const size_t n = v.stack_count();
  for (size_t i = 1; i < n; ++i) {
    const uint32_t k = keys.of_frame[v.entries[i] & kViewFrame];
    t.flat[k] += v.w[i];
    t.flat_div[k] += dw_of(v, i);
    if (p.frames()[v.entries[i] & kViewFrame].inlined) t.inline_seen[k] = 1;
  }
  std::vector<uint32_t> on_path(keys.keys.size(), 0);
  tw.walk(
      [&](uint32_t c) -> uint64_t {
        const uint32_t k = keys.of_frame[v.entries[c] & kViewFrame];
        if (on_path[k]++ == 0) {
          t.cum[k] += tw.sub[c];
          t.cum_div[k] += tw.sub_div[c];
        }
        return k;
      },
      [&](uint32_t, uint64_t k) { --on_path[k]; });
  return t;
}

struct EdgeTable {
  std::unordered_map<uint64_t, uint32_t> index;
  std::vector<GraphEdge> edges;
  GraphEdge& at(uint32_t src, uint32_t dst, bool& fresh) {
    auto [it, f] = index.try_emplace(uint64_t(src) << 32 | dst, static_cast<uint32_t>(edges.size()));
    fresh = f;
    if (f) edges.push_back(GraphEdge{src, dst, 0, 0, true});
    return edges[it->second];
  }
};

// Edges between the shown nodes (node_of: key -> shown node or kNone); `wanted` limits the
// callees whose in-edges are counted (empty: all).
std::vector<GraphEdge> count_edges(const Profile& p, const StackView& v, const Keys& keys,
                                   const std::vector<uint32_t>& node_of,
                                   const std::vector<uint8_t>& wanted, const TrieWalk* tw) {
  EdgeTable table;
  std::vector<uint32_t> stamp;
  auto want = [&](uint32_t dst) { return wanted.empty() || (dst < wanted.size() && wanted[dst]); };
  if (v.lists) {
    for (size_t l = 0; l < v.stack_count(); ++l) {
      const int64_t w = v.w[l], dw = dw_of(v, l);
      if (w == 0 && dw == 0 && !(l < v.live.size() && v.live[l])) continue;
      uint32_t parent = kNone;
      for (uint32_t i = v.begin[l]; i < v.begin[l + 1]; ++i) {
        const uint32_t e = v.entries[i];
        const uint32_t n = node_of[keys.of_frame[e & kViewFrame]];
        if (n == kNone) continue;
        if (parent != kNone && parent != n && want(n)) {
          bool fresh;
          GraphEdge& g = table.at(parent, n, fresh);
          const uint32_t id = static_cast<uint32_t>(&g - table.edges.data());
          if (id >= stamp.size()) stamp.resize(id + 1, kNone);
          if (stamp[id] != l) {
            stamp[id] = static_cast<uint32_t>(l);
            g.weight += w;
            g.weight_div += dw;
            if (!entry_inline(p, v, e)) g.inlined = false;
          }
        }
        parent = n;
      }
    }
    return std::move(table.edges);
  }
  // Trie: an edge counts the subtree under its root-most occurrence on each path.
  std::vector<uint32_t> on_path;
  std::vector<uint32_t> parent_stack{kNone};
  tw->walk(
      [&](uint32_t c) -> uint64_t {
        const uint32_t n = node_of[keys.of_frame[v.entries[c] & kViewFrame]];
        uint32_t parent = parent_stack.back();
        uint64_t token = kNone;
        if (n != kNone && parent != kNone && parent != n && want(n)) {
          bool fresh;
          GraphEdge& g = table.at(parent, n, fresh);
          const uint32_t id = static_cast<uint32_t>(&g - table.edges.data());
          if (id >= on_path.size()) on_path.resize(id + 1, 0);
          if (on_path[id]++ == 0) {
            g.weight += tw->sub[c];
            g.weight_div += tw->sub_div[c];
            if (!p.frames()[v.entries[c] & kViewFrame].inlined) g.inlined = false;
          }
          token = id;
        }
        parent_stack.push_back(n != kNone ? n : parent);
        return token;
      },
      [&](uint32_t, uint64_t token) {
        parent_stack.pop_back();
        if (token != kNone) --on_path[token];
      });
  return std::move(table.edges);
}

PprofGraph nodes_of(const Profile& p, const Keys& keys, const Tally& t) {
  PprofGraph g;
  for (size_t k = 0; k < keys.keys.size(); ++k) {
    g.flat_total += t.flat[k];
    if (t.flat[k] == 0 && t.cum[k] == 0) continue;
    GraphNode n;
    n.key = keys.keys[k];
    n.frame = keys.first_frame[k];
    n.flat = t.flat[k];
    n.cum = t.cum[k];
    n.flat_div = t.flat_div[k];
    n.cum_div = t.cum_div[k];
    g.nodes.push_back(std::move(n));
  }
  (void)p;
  return g;
}

}  // namespace

std::string node_name(const Profile& p, const NodeKey& k) {
  std::string name = k.address != 0 ? fmt::format("{:016x}", k.address) : std::string();
  if (k.name != 0 && !p.str(k.name).empty()) {
    if (!name.empty()) name += ' ';
    name += p.str(k.name);
  }
  std::string_view file = p.str(k.file);
  auto add = [&](std::string_view s) {
    if (!name.empty()) name += ' ';
    name += s;
  };
  if (k.line != 0) add(fmt::format("{}:{}", file, k.line));
  else if (!file.empty()) add(file);
  else if (k.name != 0 && !p.str(k.name).empty()) return name;  // the name alone
  else if (k.objfile != 0 && !p.str(k.objfile).empty()) add("[" + std::string(path_base(p.str(k.objfile))) + "]");
  else add("<unknown>");
  return name;
}

std::string PprofGraph::inline_label(size_t i) const {
  const uint8_t k = i < in_kinds.size() ? in_kinds[i] : 0;
  if (!(k & 1)) return "";
  return (k & 2) ? "(partial-inline)" : "(inline)";
}

PprofGraph graph_nodes(const Profile& p, const StackView& v, Granularity by, unsigned jobs) {
  Keys keys(p, by);
  if (v.lists) return nodes_of(p, keys, tally_lists(p, v, keys, jobs));
  TrieWalk tw(v);
  return nodes_of(p, keys, tally_trie(p, v, keys, tw));
}

PprofGraph build_graph(const Profile& p, const StackView& v, const GraphOptions& o) {
  Keys keys(p, o.by);
  std::unique_ptr<TrieWalk> tw;
  if (!v.lists) tw = std::make_unique<TrieWalk>(v);
  Tally t = v.lists ? tally_lists(p, v, keys, o.jobs) : tally_trie(p, v, keys, *tw);
  PprofGraph g = nodes_of(p, keys, t);
  // Node indexes by key, to find them again after the cuts.
  std::unordered_map<NodeKey, uint32_t, KeyHash> key_index;
  for (size_t i = 0; i < keys.keys.size(); ++i) key_index.emplace(keys.keys[i], static_cast<uint32_t>(i));

  const int64_t node_cutoff = std::llabs(static_cast<int64_t>(double(g.flat_total) * o.node_fraction));
  const int64_t edge_cutoff = std::llabs(static_cast<int64_t>(double(g.flat_total) * o.edge_fraction));
  if (node_cutoff > 0) {
    std::vector<GraphNode> kept;
    for (GraphNode& n : g.nodes)
      if (std::llabs(n.cum) >= node_cutoff) kept.push_back(std::move(n));
    g.dropped_nodes = g.nodes.size() - kept.size();
    g.nodes = std::move(kept);
  }
  g.orig_count = g.nodes.size();
  for (GraphNode& n : g.nodes) n.name = node_name(p, n.key);
  std::vector<std::string> info(g.nodes.size());
  std::vector<uint32_t> order(g.nodes.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = static_cast<uint32_t>(i);
    info[i] = sprint_info(p, g.nodes[i].key);
  }
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const GraphNode& l = g.nodes[a];
    const GraphNode& r = g.nodes[b];
    const int64_t lf = std::llabs(l.flat), rf = std::llabs(r.flat);
    const int64_t lc = std::llabs(l.cum), rc = std::llabs(r.cum);
    if (o.cum_sort) {
      if (lc != rc) return lc > rc;
    } else if (lf != rf) {
      return lf > rf;
    }
    if (l.name != r.name) return l.name < r.name;
    if (o.cum_sort) {
      if (lf != rf) return lf > rf;
    } else if (lc != rc) {
      return lc > rc;
    }
    return info[a] < info[b];
  });
  std::vector<GraphNode> sorted;
  sorted.reserve(order.size());
  for (uint32_t i : order) sorted.push_back(std::move(g.nodes[i]));
  const bool cut_by_count = o.node_count > 0 && sorted.size() > o.node_count;
  if (cut_by_count) sorted.resize(o.node_count);
  g.nodes = std::move(sorted);

  // Edges of the shown nodes. For a top table only the in-edges of nodes that are sometimes an
  // inlined line can change a label, so only those are counted.
  std::vector<uint32_t> node_of(keys.keys.size(), kNone);
  std::vector<uint8_t> wanted;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const uint32_t k = key_index.at(g.nodes[i].key);
    node_of[k] = static_cast<uint32_t>(i);
  }
  // pprof rebuilds its graph from the kept nodes only when a cut removed one; otherwise the
  // zero nodes stay in it as ghosts (see PprofGraph::ghosts).
  const bool rebuilt = (node_cutoff > 0 && g.dropped_nodes > 0) || cut_by_count;
  std::vector<uint32_t> ghost_key;
  if (!rebuilt)
    for (size_t k = 0; k < keys.keys.size(); ++k)
      if (t.flat[k] == 0 && t.cum[k] == 0) {
        node_of[k] = static_cast<uint32_t>(g.nodes.size() + ghost_key.size());
        ghost_key.push_back(static_cast<uint32_t>(k));
      }
  bool any_wanted = o.all_edges;
  if (!o.all_edges) {
    wanted.assign(g.nodes.size(), 0);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      wanted[i] = t.inline_seen[key_index.at(g.nodes[i].key)];
      any_wanted = any_wanted || wanted[i];
    }
  }
  if (any_wanted) {
    std::vector<GraphEdge> edges = count_edges(p, v, keys, node_of, wanted, tw.get());
    // Ghosts that an edge touches, renumbered in order of first use.
    std::vector<uint32_t> ghost_at(ghost_key.size(), kNone);
    auto renumber = [&](uint32_t& n) {
      if (n < g.nodes.size()) return;
      uint32_t& at = ghost_at[n - g.nodes.size()];
      if (at == kNone) {
        const uint32_t k = ghost_key[n - g.nodes.size()];
        GraphNode gn;
        gn.key = keys.keys[k];
        gn.frame = keys.first_frame[k];
        gn.name = node_name(p, gn.key);
        at = static_cast<uint32_t>(g.nodes.size() + g.ghosts.size());
        g.ghosts.push_back(std::move(gn));
      }
      n = at;
    };
    for (GraphEdge& e : edges) {
      const bool into_ghost = e.dst >= g.nodes.size();
      if (into_ghost && e.src >= g.nodes.size()) continue;  // between ghosts: never printed
      if (!into_ghost && std::llabs(e.weight) < edge_cutoff) continue;
      renumber(e.src);
      renumber(e.dst);
      g.edges.push_back(e);
    }
  }
  g.in_kinds.assign(g.nodes.size(), 0);
  for (const GraphEdge& e : g.edges)
    if (e.dst < g.nodes.size()) g.in_kinds[e.dst] |= e.inlined ? 1 : 2;
  return g;
}

}  // namespace perfkit
