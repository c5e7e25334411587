// The reversed (leaf-first, "bottom-up") call tree: each sample's value goes to its leaf-most
// node, then down the chain of its callers, so the roots are the functions where time is spent
// (by self value) and each path below a root says who called it. What speedscope calls the
// inverted view and perf report's caller graph: the same nodes as `top` at the same granularity
// (node identity is pprof's printable node name), the same filters, the same totals.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/pprof_graph.h"
#include "lib/pprof_view.h"
#include "lib/profile.h"

namespace perfkit {

struct ReverseNode {
  uint32_t parent = UINT32_MAX;  // UINT32_MAX for the roots' parent (node 0, unnamed)
  uint32_t name = 0;             // into ReverseTree::names
  uint32_t depth = 0;            // node 0 = 0, the leaf functions = 1
  int64_t value = 0;             // summed sample values of the paths through this node
  int64_t div = 0;               // summed -mean divisors of the same samples
  uint32_t first_child = UINT32_MAX, next_sibling = UINT32_MAX;  // unordered
  int64_t shown(bool mean) const { return mean && div != 0 ? value / div : value; }
};

struct ReverseTree {
  std::vector<std::string> names;
  std::vector<ReverseNode> nodes;  // nodes[0]: above the leaves; parents precede children
};

struct ReverseOptions {
  Granularity by = Granularity::kFunction;
  size_t depth = 0;  // nodes below a leaf kept per path (1 = the leaf functions only); 0 = all
  // Walking more path entries than this is refused (InputError): a chain of N frames each with
  // its own self value makes N(N+1)/2 nodes.
  size_t max_entries = size_t(1) << 25;
};

// Builds the tree of the view's weighted stacks. Consecutive frames with one node name (inlined
// lines of one function, several functions of one file at --by file, direct recursion) are one
// node, as pprof's graph keeps no self-edge. Throws InputError naming `p.path` past the budget.
ReverseTree build_reverse_tree(const Profile& p, const StackView& v, const ReverseOptions& o);

// Node n's children by |shown value| descending, then by name.
std::vector<uint32_t> sorted_children(const ReverseTree& t, uint32_t n, bool mean);

}  // namespace perfkit
