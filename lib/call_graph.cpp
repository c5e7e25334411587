#include "lib/call_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "lib/errors.h"

namespace perfkit {

namespace {

using Wide = __int128;

struct Adjacency {
  std::vector<std::vector<uint32_t>> out, in;  // kept edge indexes per node
  std::vector<uint32_t> topo;                  // callers before callees (over kept edges)
};

// Drops self calls, and orders the nodes callers first with a depth-first search that starts at
// the nodes nobody calls (so the search follows the program's own order of calls): every edge
// goes from an earlier node to a later one but those that close a cycle (counted).
Adjacency kept_edges(const CallGraph& g, CallGraphStats& stats) {
  const size_t n = g.frames.size();
  std::vector<std::vector<uint32_t>> all_out(n);
  std::vector<uint32_t> indegree(n, 0);
  for (uint32_t e = 0; e < g.edges.size(); ++e) {
    const auto& edge = g.edges[e];
    if (edge.caller == edge.callee) {
      ++stats.self_calls;
      continue;
    }
    all_out[edge.caller].push_back(e);
    ++indegree[edge.callee];
  }
  std::vector<uint32_t> starts;
  for (uint32_t i = 0; i < n; ++i)
    if (indegree[i] == 0) starts.push_back(i);
  for (uint32_t i = 0; i < n; ++i)
    if (indegree[i] != 0) starts.push_back(i);

  enum : uint8_t { kWhite, kGray, kBlack };
  std::vector<uint8_t> color(n, kWhite);
  std::vector<uint8_t> keep(g.edges.size(), 0);
  std::vector<uint32_t> post;
  post.reserve(n);
  struct Visit {
    uint32_t node, next;
  };
  std::vector<Visit> stack;
  for (uint32_t s : starts) {
    if (color[s] != kWhite) continue;
    color[s] = kGray;
    stack.push_back({s, 0});
    while (!stack.empty()) {
      Visit& v = stack.back();
      if (v.next == all_out[v.node].size()) {
        color[v.node] = kBlack;
        post.push_back(v.node);
        stack.pop_back();
        continue;
      }
      const uint32_t e = all_out[v.node][v.next++];
      const uint32_t to = g.edges[e].callee;
      keep[e] = 1;  // edges that close a cycle stay: a stack may re-enter a function
      if (color[to] == kGray) {
        ++stats.cycle_calls;
        continue;
      }
      if (color[to] == kWhite) {
        color[to] = kGray;
        stack.push_back({to, 0});
      }
    }
  }
  Adjacency a;
  a.out.resize(n);
  a.in.resize(n);
  for (uint32_t e = 0; e < g.edges.size(); ++e)
    if (keep[e]) {
      a.out[g.edges[e].caller].push_back(e);
      a.in[g.edges[e].callee].push_back(e);
    }
  a.topo.assign(post.rbegin(), post.rend());
  return a;
}

[[noreturn]] void too_large(const Profile& p) {
  throw InputError::in_file(p.path,
                            "the call graph's costs add up past the 64-bit integer range");
}

}  // namespace

CallGraphStats add_call_graph_samples(Profile& p, const CallGraph& g, size_t max_stack_nodes) {
  CallGraphStats stats;
  const size_t nv = g.value_count;
  const size_t n = g.frames.size();
  if (n == 0 || nv == 0) return stats;
  Adjacency a = kept_edges(g, stats);

  std::unordered_map<StackId, uint32_t> sample_of;  // stack -> index into values
  std::vector<StackId> order;
  std::vector<int64_t> values;
  auto add_value = [&](StackId s, size_t v, int64_t amount) {
    auto [it, inserted] = sample_of.try_emplace(s, static_cast<uint32_t>(order.size()));
    if (inserted) {
      order.push_back(s);
      values.resize(values.size() + nv, 0);
    }
    int64_t& slot = values[size_t(it->second) * nv + v];
    if (__builtin_add_overflow(slot, amount, &slot)) too_large(p);
  };

  // A node without a frame (perfkit's own "(root)") adds nothing to the stack.
  auto below_of = [&](StackId parent, uint32_t node) {
    return g.frames[node] == CallGraph::kNoFrame ? parent : p.child(parent, g.frames[node]);
  };
  size_t visits = 0;
  struct Item {
    uint32_t node;
    StackId stack;
    int64_t amount;  // still to place below this stack
  };
  std::vector<Item> work;
  std::vector<uint8_t> short_edge(g.edges.size(), 0);
  for (size_t v = 0; v < nv; ++v) {
    // Residuals: what each function has still to spend itself, what each call still carries.
    std::vector<int64_t> sink(n), edge(g.edges.size(), 0), source(n, 0);
    for (size_t i = 0; i < n; ++i) sink[i] = g.self[i * nv + v];
    for (uint32_t e = 0; e < g.edges.size(); ++e) edge[e] = g.incl[size_t(e) * nv + v];
    // A function whose callers bring in less than it spends takes the rest from a source.
    for (uint32_t x = 0; x < n; ++x) {
      Wide spend = sink[x], inflow = 0;
      for (uint32_t e : a.out[x]) spend += edge[e];
      for (uint32_t e : a.in[x]) inflow += edge[e];
      if (spend > INT64_MAX) too_large(p);
      if (spend > inflow) source[x] = static_cast<int64_t>(spend - inflow);
    }
    std::vector<uint32_t> cursor(n, 0);  // first out-edge that may have flow left
    auto place = [&](uint32_t root, int64_t amount) {
      work.push_back({root, below_of(kEmptyStack, root), amount});
      while (!work.empty()) {
        if (++visits > max_stack_nodes)
          throw InputError::in_file(
              p.path, fmt::format("the call graph unfolds into more than {} stack nodes; too "
                                  "tangled to turn into stacks",
                                  max_stack_nodes));
        Item& it = work.back();
        const uint32_t x = it.node;
        if (sink[x] > 0 && it.amount > 0) {
          const int64_t take = std::min(sink[x], it.amount);
          sink[x] -= take;
          it.amount -= take;
          add_value(it.stack, v, take);
        }
        if (it.amount == 0) {
          work.pop_back();
          continue;
        }
        while (cursor[x] < a.out[x].size() && edge[a.out[x][cursor[x]]] == 0) ++cursor[x];
        if (cursor[x] == a.out[x].size()) {
          // The calls into x brought more than x spends: what is left is nobody's cost.
          stats.dropped += it.amount;
          work.pop_back();
          continue;
        }
        const uint32_t e = a.out[x][cursor[x]];
        const int64_t pass = std::min(edge[e], it.amount);
        edge[e] -= pass;
        it.amount -= pass;
        const uint32_t callee = g.edges[e].callee;
        const StackId below = below_of(it.stack, callee);
        work.push_back({callee, below, pass});  // `it` is not used after this
      }
    };
    // Sources in caller-first order, so a function's callers have passed their flow into it
    // before its own source is spent.
    for (uint32_t root : a.topo)
      if (source[root] > 0) place(root, source[root]);
    // Self cost no caller's flow reached (an inconsistent or cut file): a stack of its own, so
    // flat stays exact.
    for (uint32_t x = 0; x < n; ++x)
      if (sink[x] > 0) {
        stats.orphaned += sink[x];
        add_value(below_of(kEmptyStack, x), v, sink[x]);
        sink[x] = 0;
      }
  }
  for (size_t i = 0; i < order.size(); ++i) p.add_sample(order[i], &values[i * nv]);
  stats.stacks = static_cast<int64_t>(order.size());
  return stats;
}

bool add_table_call_stacks(Profile& p) {
  if (p.rows.empty() || p.table_calls.empty() || p.sample_count() != 0) return false;
  CallGraph g;
  g.value_count = 1;
  std::map<std::pair<StrId, StrId>, uint32_t> node_of;  // rows of one function are one node
  std::vector<uint32_t> node(p.rows.size());
  for (size_t i = 0; i < p.rows.size(); ++i) {
    const TableRow& r = p.rows[i];
    auto [it, inserted] = node_of.try_emplace({r.name, r.file}, uint32_t(g.frames.size()));
    if (inserted) {
      Frame f;
      f.function = r.name;
      f.file = r.file;
      f.line = r.line;
      g.add_node(p.intern_frame(f));
    }
    node[i] = it->second;
    g.self[node[i]] += std::max<int64_t>(r.self_ns, 0);
  }
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> edge_of;
  for (const TableCall& c : p.table_calls) {
    if (c.caller >= node.size() || c.callee >= node.size()) continue;
    auto [it, inserted] =
        edge_of.try_emplace({node[c.caller], node[c.callee]}, uint32_t(g.edges.size()));
    if (inserted) {
      g.edges.push_back({node[c.caller], node[c.callee]});
      g.incl.push_back(0);
    }
    g.incl[it->second] += std::max<int64_t>(c.total_ns, 0);
  }
  ValueType vt;
  vt.type = p.strings.intern("time");
  vt.unit = p.strings.intern("nanoseconds");
  p.value_types = {vt};
  warn_call_graph(p, add_call_graph_samples(p, g));
  return true;
}

void warn_call_graph(Profile& p, const CallGraphStats& s) {
  if (s.dropped)
    p.warn(fmt::format("calls bring {} more cost into their callees than those spend (self plus "
                       "their calls; an inconsistent file, or recursion the file counts twice): "
                       "left out, so some callers' cum is below the file's inclusive cost",
                       s.dropped));
  if (s.orphaned)
    p.warn(fmt::format("{} of self cost is reached by no caller's inclusive cost: stacks of its "
                       "own (flat stays exact)",
                       s.orphaned));
}

}  // namespace perfkit
