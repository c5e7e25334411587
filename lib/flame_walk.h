// The flame tree's nodes in layout order, walked from a profile's deferred stack lists without
// building the tree (lib/flame.h): the weighted lists are sorted by their frames' names (a list
// that ends sorts after the lists that go on, as a parent's self is drawn right of its
// children), so each node is a run of neighbouring lists and the sorted order is the preorder of
// the tree with children in name order. A node costs 20 bytes while walking (a tree node 72) and
// no hash lookup.
#pragma once
#include <cstdint>
#include <functional>
#include <string_view>

#include "lib/profile.h"

namespace perfkit {

struct FlameWalkNode {
  uint32_t depth = 0;    // 1 for a child of the root (the root itself is not visited)
  uint32_t name = 0;     // a dense id of the name: equal names, equal ids (their order by text)
  // The names by id: the array lives during the walk, the texts as long as the profile.
  const std::string_view* names = nullptr;
  int64_t offset = 0;    // left edge, in value units, from the root's
  int64_t value = 0;     // inclusive
  int64_t self = 0;
  int64_t total = 0;     // the root's value (the same for every node)
};

// Visits every node of build_flame_tree(p, {value_index}) but the root, parents before children,
// children in name order, each node's value > 0: the order a flame chart draws them. Returns
// false, visiting nothing, when the profile has no deferred stack lists, no such value type, or a
// list whose samples add up to a negative weight (build_flame_tree then drops the stack and
// counts it); the caller then builds the tree.
bool walk_flame_lists(const Profile& p, int value_index,
                      const std::function<void(const FlameWalkNode&)>& visit);

}  // namespace perfkit
