// walk_flame_lists against the flame tree it stands for: the same nodes, in the tree's layout
// preorder, with the same values, on random deferred stack lists.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "lib/flame.h"
#include "lib/flame_walk.h"
#include "reports/report_html.h"

using namespace perfkit;

namespace {

// "depth name offset value self" per node, the tree's preorder with children in layout order.
std::vector<std::string> tree_lines(const FlameTree& t) {
  std::vector<std::string> out;
  std::vector<std::pair<uint32_t, int64_t>> todo;
  auto push_children = [&](uint32_t n, int64_t x) {
    const size_t first = todo.size();
    for (uint32_t c = t.nodes[n].first_child; c != kNoNode; c = t.nodes[c].next_sibling) {
      if (t.nodes[c].value > 0) todo.emplace_back(c, x);
      x += t.nodes[c].value;
    }
    std::reverse(todo.begin() + static_cast<ptrdiff_t>(first), todo.end());
  };
  push_children(0, 0);
  while (!todo.empty()) {
    auto [node, x] = todo.back();
    todo.pop_back();
    const FlameNode& n = t.nodes[node];
    out.push_back(fmt::format("{} {} {} {} {}", n.depth, t.names[n.name], x, n.value, n.self));
    push_children(node, x);
  }
  return out;
}

std::vector<std::string> walk_lines(const Profile& p, int vi, bool* walked) {
  std::vector<std::string> out;
  *walked = walk_flame_lists(p, vi, [&](const FlameWalkNode& n) {
    out.push_back(fmt::format("{} {} {} {} {}", n.depth, n.names[n.name], n.offset, n.value, n.self));
  });
  return out;
}

// Random lists over a few names, some frames sharing a name (another line), a frame without a
// function name ("[unknown]" in the tree) beside a function named "[unknown]", lists that are
// prefixes of others, repeated lists, zero weights and, with `negative`, one list below zero.
Profile random_lists(uint32_t seed, bool negative) {
  std::mt19937 rng(seed);
  Profile p;
  p.value_types.push_back({p.strings.intern("samples"), p.strings.intern("count")});
  p.value_types.push_back({p.strings.intern("cpu"), p.strings.intern("nanoseconds")});
  const char* names[] = {"main", "a", "b", "ab", "a b", "[unknown]", "", "zz", "B", "\xc3\xa9"};
  std::vector<FrameId> frames;
  for (int i = 0; i < 24; ++i) {
    const char* n = names[rng() % 10];
    frames.push_back(p.intern_frame({*n ? p.strings.intern(n) : 0, 0, int64_t(i), false}));
  }
  std::vector<std::vector<FrameId>> lists;
  for (int k = 0; k < 60; ++k) {
    std::vector<FrameId> l;
    if (!lists.empty() && rng() % 3 == 0) l = lists[rng() % lists.size()];  // extend or cut one
    if (!l.empty() && rng() % 2) l.resize(rng() % l.size());
    for (size_t n = rng() % 6; n-- > 0;) l.push_back(frames[rng() % (1 + rng() % frames.size())]);
    lists.push_back(l);
  }
  for (const auto& l : lists) p.add_stack_list(l.data(), l.size());
  for (int s = 0; s < 200; ++s) {
    const int64_t v[2] = {int64_t(rng() % 4), int64_t(rng() % 1000)};
    p.add_list_sample(static_cast<uint32_t>(rng() % lists.size()), v);
  }
  if (negative) {
    const int64_t v[2] = {-1000000, -1000000};
    p.add_list_sample(1, v);
  }
  return p;
}

}  // namespace

TEST_CASE("flame walk: the flame tree's nodes in layout preorder, from the stack lists") {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    for (int vi = 0; vi < 2; ++vi) {
      CAPTURE(seed);
      CAPTURE(vi);
      Profile p = random_lists(seed, false);
      bool walked = false;
      const std::vector<std::string> walk = walk_lines(p, vi, &walked);
      REQUIRE(walked);
      CHECK(walk == tree_lines(build_flame_tree(p, FlameOptions{vi, {}})));
    }
  }
}

TEST_CASE("flame walk: nothing is walked for a negative list, a trie, or no value type") {
  bool walked = true;
  Profile neg = random_lists(3, true);
  CHECK(walk_lines(neg, 1, &walked).empty());
  CHECK_FALSE(walked);
  Profile p = random_lists(4, false);
  CHECK(walk_lines(p, 2, &walked).empty());
  CHECK_FALSE(walked);
  p.stacks();  // builds the trie from the lists
  CHECK(walk_lines(p, 0, &walked).empty());
  CHECK_FALSE(walked);
}

TEST_CASE("flame walk: the page's pruned flame graph from the lists equals the tree's") {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    Profile p = random_lists(seed, false);
    HtmlLimits lim;
    lim.max_flame_nodes = seed % 3 == 0 ? 20 : seed % 3 == 1 ? 40 : 20000;
    lim.min_flame_fraction = seed % 4 == 0 ? 0 : seed % 4 == 1 ? 0.01 : 0.05;
    const int vi = static_cast<int>(seed % 2);
    const HtmlFlame tree = prune_flame_for_page(build_flame_tree(p, FlameOptions{vi, {}}), lim);
    REQUIRE(p.has_deferred_stacks());  // build_flame_tree reads the lists too
    const HtmlFlame walk = prune_flame_for_page(p, vi, lim);
    CHECK(walk.null == tree.null);
    CHECK(walk.type == tree.type);
    CHECK(walk.total == tree.total);
    CHECK(walk.nodes_total == tree.nodes_total);
    CHECK(walk.pruned == tree.pruned);
    CHECK(walk.parent == tree.parent);
    CHECK(walk.name == tree.name);
    CHECK(walk.value == tree.value);
    CHECK(walk.self == tree.self);
    CHECK(walk.names == tree.names);
    if (seed % 3 == 0) CHECK(tree.pruned > 0);  // the cap cut something
  }
}

TEST_CASE("flame walk: the tree's preorder with names past 2^16 and 2^21 (fewer positions per key)") {
  // The walk packs as many name ranks as fit into a 64-bit key: 4 below 2^16 names, 3 up to
  // 2^21, then 2. Many names in few deep lists: the walk must still be the tree.
  for (const size_t names : {size_t{70000}, size_t{2100000}}) {
    std::mt19937 rng(static_cast<uint32_t>(names));
    Profile p;
    p.value_types.push_back({p.strings.intern("samples"), p.strings.intern("count")});
    std::vector<FrameId> frames;
    for (size_t i = 0; i < names; ++i)
      frames.push_back(p.intern_frame({p.strings.intern(fmt::format("f{}", i)), 0, 0, false}));
    std::vector<FrameId> root;  // a shared start, so that groups are split deep in the lists
    for (int d = 0; d < 5; ++d) root.push_back(frames[rng() % 3]);
    for (int k = 0; k < 300; ++k) {
      std::vector<FrameId> l(root.begin(), root.begin() + static_cast<long>(rng() % root.size()));
      for (size_t n = 1 + rng() % 9; n-- > 0;)
        l.push_back(frames[rng() % 4 == 0 ? rng() % names : rng() % 3]);
      const int64_t w = 1 + static_cast<int64_t>(rng() % 9);
      p.add_list_sample(p.add_stack_list(l.data(), l.size()), &w);
    }
    bool walked = false;
    const std::vector<std::string> walk = walk_lines(p, 0, &walked);
    REQUIRE(walked);
    CHECK(walk == tree_lines(build_flame_tree(p, FlameOptions{0, {}})));
  }
}
