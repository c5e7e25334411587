// pprof's -tree, -peek and -traces text reports.
#pragma once
#include <stdexcept>
#include <string>

#include "lib/pprof_view.h"
#include "lib/reverse_tree.h"
#include "lib/top_table.h"

namespace perfkit {

class Regex;

// -peek found no node whose name matches (pprof: "no matches found for regexp").
struct NoMatch : std::runtime_error {
  NoMatch() : std::runtime_error("no matches") {}
};

// The call tree: for each shown node (only those matching `symbol` for -peek), its callers with
// the edge weights, the node, its callees. Needs TopOptions::all_edges.
std::string render_tree(const Profile& p, const TopTable& t, Granularity by, const Regex* symbol);

// Every sample's stack (leaf first) with its labels and value; `v` from a view with per_sample.
std::string render_traces(const Profile& p, const TopTable& t, const StackView& v, Granularity by,
                          const Regex* tagshow, const Regex* taghide);

struct ReverseRender {
  size_t roots = 0;           // leaf functions shown (-n); 0 = all
  double node_fraction = 0;   // nodes whose |value| is at most this share of the total are dropped
  bool json = false;
};

// The reversed tree (lib/reverse_tree.h) as text (pprof's header, then one line per node:
// value, share of the total, and the name under box-drawing guides) or JSON
// ({"value_type", "total", "shown", "dropped_nodes", "roots": [{"name", "value", "callers": [...]}]}).
std::string render_reverse_tree(const TopTable& t, const ReverseTree& rt, const ReverseRender& o);

}  // namespace perfkit
