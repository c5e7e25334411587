// The flame tree as compact columns, pruned for the page: frames narrower than the threshold
// (a fraction of the total, raised until at most max_flame_nodes frames remain) merge into one
// "(other)" frame per parent that keeps their summed weight.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "reports/flame_colors.h"
#include "reports/html_data.h"

namespace perfkit {
namespace {

constexpr std::string_view kOtherName = "(other)";

// Smallest kept value: min_fraction of the total, raised so that at most `cap` nodes remain.
int64_t keep_threshold(const FlameTree& t, const HtmlLimits& lim) {
  int64_t thr = std::max<int64_t>(1, static_cast<int64_t>(lim.min_flame_fraction *
                                                          static_cast<double>(t.total())));
  size_t cap = std::max<size_t>(lim.max_flame_nodes * 3 / 4, 16);  // room for "(other)" frames
  std::vector<int64_t> values;
  for (const FlameNode& n : t.nodes)
    if (n.value >= thr) values.push_back(n.value);
  if (values.size() <= cap) return thr;
  std::nth_element(values.begin(), values.begin() + (cap - 1), values.end(), std::greater<>());
  int64_t kth = values[cap - 1];
  size_t at_least = std::count_if(values.begin(), values.end(), [&](int64_t v) { return v >= kth; });
  return at_least > cap ? kth + 1 : kth;  // ties past the cap: drop the tied value
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
