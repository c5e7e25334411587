// pprof's graph of a report (internal/graph and report.newTrimmedGraph), rule for rule: nodes
// keyed as pprof's NodeInfo at the chosen granularity, flat/cum (a node counts once per sample),
// edges between the nearest kept nodes of a stack (inline when the callee is not the outermost
// line of its location), nodes below the node fraction dropped, the top N kept, edges below the
// edge fraction trimmed, and pprof's sort orders.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/pprof_view.h"
#include "lib/profile.h"

namespace perfkit {

enum class Granularity { kFunction, kFileFunction, kFile, kLine, kAddress };

// pprof's NodeInfo: what identifies a node at a granularity.
//  function:     the function name (a location without a function: its mapping file)
//  filefunction: name and file;  file: the file;  line: name, file and line;
//  address:      name, file, line and the location's address (frames read with
//                ReadOptions::keep_addresses).
// When the name is empty (always at file granularity) the mapping file and the function's
// start line are part of the key too.
struct NodeKey {
  StrId name = 0;
  StrId file = 0;
  int64_t line = 0;
  StrId objfile = 0;
  int64_t start_line = 0;
  uint64_t address = 0;
  bool operator==(const NodeKey&) const = default;
};

NodeKey node_key(const Frame& f, Granularity by);
// pprof's PrintableName: "name", "name file:line", "name file", "file", "[mapping basename]" or
// "<unknown>".
std::string node_name(const Profile& p, const NodeKey& k);

struct GraphNode {
  NodeKey key;
  FrameId frame = 0;  // a frame of the node (its first)
  int64_t flat = 0, cum = 0;          // raw sums
  int64_t flat_div = 0, cum_div = 0;  // -mean divisors
  std::string name;                   // node_name
  int64_t flat_value() const { return flat_div != 0 ? flat / flat_div : flat; }
  int64_t cum_value() const { return cum_div != 0 ? cum / cum_div : cum; }
};

struct GraphEdge {
  uint32_t src = 0, dst = 0;  // indexes into PprofGraph::nodes, then PprofGraph::ghosts
  int64_t weight = 0, weight_div = 0;
  bool inlined = true;  // every counted occurrence was an inline call
  int64_t value() const { return weight_div != 0 ? weight / weight_div : weight; }
};

struct GraphOptions {
  Granularity by = Granularity::kFunction;
  bool cum_sort = false;
  double node_fraction = 0.005;  // pprof's -nodefraction default
  double edge_fraction = 0.001;  // pprof's -edgefraction default
  size_t node_count = 0;         // 0 = all
  bool all_edges = false;        // every edge (tree, peek); else only those deciding "(inline)"
  unsigned jobs = 1;
};

struct PprofGraph {
  std::vector<GraphNode> nodes;  // shown nodes, in pprof's order
  std::vector<GraphEdge> edges;  // between shown nodes, after edge trimming
  // pprof keeps a node whose values cancel out to zero (flat and cum 0) out of its node list but
  // not out of the graph it was built in: edges still run into and out of it, and -tree prints
  // them. Such nodes, when pprof does not rebuild the graph (no node was cut), are these; an
  // edge index nodes.size() + i is ghosts[i]. Edges into a ghost are never trimmed (pprof trims
  // only the in-edges of the nodes it lists).
  std::vector<GraphNode> ghosts;
  size_t orig_count = 0;         // nodes after the node fraction, before the top-N cut
  size_t dropped_nodes = 0;      // nodes below the node fraction
  int64_t flat_total = 0;        // sum of flat over every node before trimming
  // pprof's "(inline)" / "(partial-inline)" label of node i from its incoming edges.
  std::string inline_label(size_t i) const;
  std::vector<uint8_t> in_kinds;  // per node: bit 1 an inline in-edge, bit 2 a normal one
};

// Every node of the view's stacks, unsorted and untrimmed (aggregate's rows).
PprofGraph graph_nodes(const Profile& p, const StackView& v, Granularity by, unsigned jobs);

// The trimmed, sorted graph of a report.
PprofGraph build_graph(const Profile& p, const StackView& v, const GraphOptions& o);

}  // namespace perfkit
