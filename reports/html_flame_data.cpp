// The flame tree as compact columns, pruned for the page: frames narrower than the threshold
// (a fraction of the total, raised until at most max_flame_nodes frames remain) merge into one
// "(other)" frame per parent that keeps their summed weight.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/flame_walk.h"
#include "reports/flame_colors.h"
#include "reports/html_data.h"

namespace perfkit {
namespace {

constexpr std::string_view kOtherName = "(other)";

int64_t min_fraction_threshold(int64_t total, const HtmlLimits& lim) {
  return std::max<int64_t>(1, static_cast<int64_t>(lim.min_flame_fraction *
                                                   static_cast<double>(total)));
}

// Smallest kept value: min_fraction of the total (thr), raised so that at most `cap` nodes
// remain; `values` are the values of the nodes at or above thr.
int64_t raise_threshold(int64_t thr, std::vector<int64_t>& values, const HtmlLimits& lim) {
  size_t cap = std::max<size_t>(lim.max_flame_nodes * 3 / 4, 16);  // room for "(other)" frames
  if (values.size() <= cap) return thr;
  std::nth_element(values.begin(), values.begin() + (cap - 1), values.end(), std::greater<>());
  int64_t kth = values[cap - 1];
  size_t at_least = std::count_if(values.begin(), values.end(), [&](int64_t v) { return v >= kth; });
  return at_least > cap ? kth + 1 : kth;  // ties past the cap: drop the tied value
}

int64_t keep_threshold(const FlameTree& t, const HtmlLimits& lim) {
  const int64_t thr = min_fraction_threshold(t.total(), lim);
  std::vector<int64_t> values;
  for (const FlameNode& n : t.nodes)
    if (n.value >= thr) values.push_back(n.value);
  return raise_threshold(thr, values, lim);
}

struct Emitter {
  const FlameTree& t;
  std::vector<uint8_t> keep;
  HtmlNames& names;
  std::vector<int64_t> parent{}, name{}, value{}, self{}, base{}, base_self{};
  size_t pruned = 0;

  void push(int64_t par, int nm, int64_t v, int64_t s, int64_t b, int64_t bs) {
    parent.push_back(par), name.push_back(nm), value.push_back(v), self.push_back(s);
    base.push_back(b), base_self.push_back(bs);
  }
  // Pre-order without recursion (stacks can be thousands deep). An item is a tree node, or
  // (node == kNoNode) the "(other)" frame of out_parent, pushed before the kept children so it
  // comes out after their whole subtrees.
  void run() {
    struct Item {
      uint32_t node;
      int64_t out_parent;
      int64_t v = 0, b = 0;
    };
    std::vector<Item> stack{{0, -1}};
    std::vector<Item> kids;
    while (!stack.empty()) {
      Item it = stack.back();
      stack.pop_back();
      if (it.node == kNoNode) {
        push(it.out_parent, names.id(kOtherName), it.v, it.v, it.b, it.b);
        continue;
      }
      const FlameNode& n = t.nodes[it.node];
      int64_t me = static_cast<int64_t>(value.size());
      push(it.out_parent, names.id(t.names[n.name]), n.value, n.self, n.base_value,
           n.base_self);
      Item other{kNoNode, me};
      kids.clear();
      for (uint32_t c = n.first_child; c != kNoNode; c = t.nodes[c].next_sibling) {
        if (keep[c]) {
          kids.push_back({c, me});
        } else {
          other.v += t.nodes[c].value, other.b += t.nodes[c].base_value;
          ++pruned;
        }
      }
      if (other.v > 0) stack.push_back(other);
      for (auto k = kids.rbegin(); k != kids.rend(); ++k) stack.push_back(*k);
    }
  }
};

// The nodes of the walk at or above the min-fraction threshold (a subtree from the root down:
// a parent is at least its child), in preorder, each with the sum and count of its children below
// it, which no threshold keeps.
struct WideNode {
  uint32_t depth;
  std::string_view name;  // into the profile's strings (the walk's name table is gone after it)
  int64_t value, self;
  int64_t narrow_sum = 0;
  int64_t narrow_count = 0;
};

// prune_flame_for_page of the tree walk_flame_lists walks, from the walk: the same columns, in
// the same order (a kept node, its kept children's subtrees, then its "(other)").
bool prune_flame_walk(const Profile& p, int vi, const HtmlLimits& lim, HtmlFlame& f) {
  std::vector<WideNode> wide;
  int64_t total = 0, thr = 0, nodes = 1;
  std::vector<uint32_t> open;  // the wide nodes on the path to the current one
  const bool walked = walk_flame_lists(p, vi, [&](const FlameWalkNode& n) {
    if (wide.empty()) {
      total = n.total;
      thr = min_fraction_threshold(total, lim);
      wide.push_back(WideNode{0, "all", total, 0});
      open.push_back(0);
    }
    ++nodes;
    while (open.size() > n.depth) open.pop_back();
    if (open.size() < n.depth) return;  // under a narrow node
    if (n.value >= thr) {
      open.push_back(static_cast<uint32_t>(wide.size()));
      wide.push_back(WideNode{n.depth, n.names[n.name], n.value, n.self});
    } else {
      wide[open.back()].narrow_sum += n.value;
      ++wide[open.back()].narrow_count;
    }
  });
  if (!walked) return false;
  if (wide.empty() || total <= 0) return true;  // f stays null, as for an empty tree
  std::vector<int64_t> values;
  values.reserve(wide.size());
  for (const WideNode& w : wide) values.push_back(w.value);
  thr = raise_threshold(thr, values, lim);
  HtmlNames local;
  struct Open {
    uint32_t depth;
    int64_t out, other;
  };
  std::vector<Open> kept;  // kept nodes on the path, with their "(other)" so far
  auto close_to = [&](uint32_t depth) {
    while (!kept.empty() && kept.back().depth >= depth) {
      const Open o = kept.back();
      kept.pop_back();
      if (o.other > 0) {
        f.parent.push_back(o.out), f.name.push_back(local.id(kOtherName));
        f.value.push_back(o.other), f.self.push_back(o.other);
      }
    }
  };
  for (const WideNode& w : wide) {
    close_to(w.depth);
    if (w.depth > 0 && (kept.empty() || kept.back().depth + 1 != w.depth)) continue;  // cut
    const bool keep = w.depth == 0 || (w.value >= thr && w.value > 0);
    if (!keep) {
      kept.back().other += w.value;
      ++f.pruned;
      continue;
    }
    const auto me = static_cast<int64_t>(f.value.size());
    f.parent.push_back(kept.empty() ? -1 : kept.back().out);
    f.name.push_back(local.id(w.name));
    f.value.push_back(w.value), f.self.push_back(w.self);
    kept.push_back(Open{w.depth, me, w.narrow_sum});
    f.pruned += w.narrow_count;
  }
  close_to(0);
  f.null = false;
  if (vi >= 0) {
    f.type = p.str(p.value_types[vi].type), f.unit = p.str(p.value_types[vi].unit);
    f.scale = p.value_types[vi].scale;
  }
  f.total = total;
  f.nodes_total = nodes;
  f.names.assign(local.names.begin(), local.names.end());
  return true;
}

void write_column(HtmlJson& j, std::string_view key, const std::vector<int64_t>& col) {
  j.key(key).begin_array();
  for (int64_t v : col) j.num(v);
  j.end_array();
}

}  // namespace

int HtmlNames::id(std::string_view name) {
  if (auto it = ids.find(name); it != ids.end()) return it->second;
  const std::string_view kept = own.emplace_back(name);
  names.push_back(kept);
  return ids.emplace(kept, static_cast<int>(names.size() - 1)).first->second;
}

void write_names_json(HtmlJson& j, const HtmlNames& names) {
  j.key("names").begin_array();
  for (std::string_view n : names.names) j.str(n);
  j.end_array();
  j.key("colors").begin_array();
  for (std::string_view n : names.names) {
    Rgb c = n == kOtherName ? Rgb{208, 208, 208} : flame_color(n, "hot");
    j.str(fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b));
  }
  j.end_array();
}

HtmlFlame prune_flame_for_page(const Profile& p, int value_index, const HtmlLimits& lim) {
  const int vi = value_index >= 0 ? value_index : p.default_value_index();
  HtmlFlame f;
  if (prune_flame_walk(p, vi, lim, f)) return f;
  return prune_flame_for_page(build_flame_tree(p, FlameOptions{vi, {}}), lim);
}

HtmlFlame prune_flame_for_page(const FlameTree& t, const HtmlLimits& lim) {
  HtmlFlame f;
  if (t.nodes.empty() || t.total() <= 0) return f;
  HtmlNames local;  // views of t.names, copied below
  Emitter e{t, std::vector<uint8_t>(t.nodes.size(), 0), local};
  int64_t thr = keep_threshold(t, lim);
  e.keep[0] = 1;
  for (size_t i = 1; i < t.nodes.size(); ++i) {
    const FlameNode& n = t.nodes[i];
    e.keep[i] = n.parent != kNoNode && e.keep[n.parent] && n.value >= thr && n.value > 0;
  }
  e.run();
  f.null = false;
  f.type = t.type, f.unit = t.unit, f.scale = t.scale;
  f.total = t.total(), f.differential = t.differential, f.base_total = t.base_total;
  f.nodes_total = static_cast<int64_t>(t.nodes.size());
  f.pruned = static_cast<int64_t>(e.pruned);
  f.parent = std::move(e.parent), f.name = std::move(e.name), f.value = std::move(e.value);
  f.self = std::move(e.self);
  if (t.differential) f.base = std::move(e.base), f.base_self = std::move(e.base_self);
  f.names.assign(local.names.begin(), local.names.end());
  return f;
}

// Local name ids are numbered in column order (first use first), so mapping them to the page's
// ids in column order gives the ids an emitter writing into `names` directly would have.
void write_flame_json(HtmlJson& j, const HtmlFlame& f, HtmlNames& names) {
  if (f.null) {
    j.null();
    return;
  }
  j.begin_object();
  j.key("type").str(f.type).key("unit").str(f.unit).key("scale").num(f.scale);
  j.key("total").num(f.total).key("differential").boolean(f.differential);
  j.key("base_total").num(f.base_total);
  j.key("nodes_total").num(f.nodes_total);
  j.key("pruned").num(f.pruned);
  write_column(j, "p", f.parent);
  j.key("n").begin_array();
  for (int64_t local : f.name) j.num(static_cast<int64_t>(names.id(f.names[local])));
  j.end_array();
  write_column(j, "v", f.value);
  write_column(j, "s", f.self);
  if (f.differential) {
    write_column(j, "b", f.base);
    write_column(j, "bs", f.base_self);
  }
  j.end_object();
}

void write_flame_json(HtmlJson& j, const FlameTree& t, const HtmlLimits& lim, HtmlNames& names) {
  write_flame_json(j, prune_flame_for_page(t, lim), names);
}

}  // namespace perfkit
