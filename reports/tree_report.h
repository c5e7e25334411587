// pprof's -tree, -peek and -traces text reports.
#pragma once
#include <stdexcept>
#include <string>

#include "lib/pprof_view.h"
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

}  // namespace perfkit
