// The flame tree: stacks merged by function name, from the root down. A node is (parent, name);
// value is inclusive, self is what ends at the node. Built from stack weights without a string
// per node: frame names are mapped once to the tree's own name ids, trie nodes to tree nodes.
// A differential tree carries the base profile's values beside the new ones.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/aggregate.h"
#include "lib/profile.h"
#include "lib/string_table.h"

namespace perfkit {

constexpr uint32_t kNoNode = UINT32_MAX;

struct FlameNode {
  uint32_t parent = kNoNode;
  StrId name = 0;          // into FlameTree::names
  uint32_t depth = 0;      // root = 0
  int64_t value = 0;       // inclusive weight (the new profile's in a differential tree)
  int64_t self = 0;
  int64_t base_value = 0;  // differential only
  int64_t base_self = 0;
  uint32_t first_child = kNoNode;  // children are linked in name order
  uint32_t next_sibling = kNoNode;
};

struct FlameTree {
  StringTable names;
  std::vector<FlameNode> nodes;  // nodes[0] is the root ("all"); parents precede children
  std::string type, unit;        // the value type drawn
  int64_t scale = 1;
  bool differential = false;
  int64_t base_total = 0;        // differential: the base's root value
  int64_t dropped_negative = 0;  // stacks with a negative weight, left out
  int64_t total() const { return nodes.empty() ? 0 : nodes[0].value; }
};

struct FlameOptions {
  int value_index = -1;  // -1: the profile's default value type
  SampleFilter filter;   // pprof's filters (focus, ignore, hide, show, show_from, tags...)
  bool reverse = false;  // leaf frames at the root (flamegraph.pl --reverse)
};

// A profile (pprof, folded, or a trace's span stacks) as a flame tree.
FlameTree build_flame_tree(const Profile& p, const FlameOptions& opts);

// Differential: the union of both trees; widths come from `cur`, base values ride along.
// base_value_index/value_index pick each side's column (-1: default).
FlameTree build_diff_flame_tree(const Profile& base, const Profile& cur, const FlameOptions& base_opts,
                                const FlameOptions& cur_opts);

enum class DiffBy { kSelf, kTotal };

// Per node, new minus base (self or inclusive), base scaled to the new total with `normalize`.
std::vector<double> flame_deltas(const FlameTree& t, DiffBy by, bool normalize);

// Per node, 1 when it is at least `min_fraction` of the root and so is every ancestor.
// Pruned nodes stay counted in their parent's value (their space is a gap).
std::vector<uint8_t> flame_visible(const FlameTree& t, double min_fraction);

// Per node, the offset of its left edge from the root's, in value units (children in name order,
// the parent's self at the right end).
std::vector<int64_t> flame_offsets(const FlameTree& t);

// Root-first frame names of a node, joined with `sep` (the root itself excluded).
std::string flame_path(const FlameTree& t, uint32_t node, char sep = ';');

}  // namespace perfkit
