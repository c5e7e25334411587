#include "lib/reverse_tree.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/errors.h"

namespace perfkit {

namespace {

InputError too_deep(const Profile& p, const ReverseOptions& o) {
  return InputError::in_file(
      p.path, fmt::format("the reversed tree would walk more than {} stack entries (a deep chain "
                          "of frames, each with a value of its own); limit it with --depth or "
                          "--focus",
                          o.max_entries));
}

class Builder {
 public:
  Builder(const Profile& p, const ReverseOptions& o, ReverseTree& t)
      : p_(p), o_(o), t_(t), frame_name_(p.frames().size(), UINT32_MAX) {
    t_.nodes.assign(1, ReverseNode{});
  }

  // One stack: next() gives its entries leaf first (frame ids with the view's inline flag),
  // UINT32_MAX at the end.
  template <class Next>
  void add(Next next, int64_t w, int64_t dw) {
    uint32_t node = 0, last = UINT32_MAX;
    t_.nodes[0].value += w;
    t_.nodes[0].div += dw;
    for (uint32_t e = next(); e != UINT32_MAX; e = next()) {
      if (++steps_ > o_.max_entries) throw too_deep(p_, o_);
      const uint32_t name = name_of(e & kViewFrame);
      if (name == last) continue;
      last = name;
      if (o_.depth != 0 && t_.nodes[node].depth >= o_.depth) break;
      node = child(node, name);
      t_.nodes[node].value += w;
      t_.nodes[node].div += dw;
    }
  }

 private:
  uint32_t name_of(FrameId f) {
    uint32_t& n = frame_name_[f];
    if (n != UINT32_MAX) return n;
    std::string s = node_name(p_, node_key(p_.frames()[f], o_.by));
    auto [it, fresh] = name_ids_.try_emplace(s, static_cast<uint32_t>(t_.names.size()));
    if (fresh) t_.names.push_back(std::move(s));
    return n = it->second;
  }

  uint32_t child(uint32_t parent, uint32_t name) {
    const uint64_t key = (uint64_t(parent) << 32) | name;
    auto [it, fresh] = edges_.try_emplace(key, static_cast<uint32_t>(t_.nodes.size()));
    if (fresh) {
      ReverseNode n;
      n.parent = parent;
      n.name = name;
      n.depth = t_.nodes[parent].depth + 1;
      n.next_sibling = t_.nodes[parent].first_child;
      t_.nodes[parent].first_child = it->second;
      t_.nodes.push_back(n);
    }
    return it->second;
  }

  const Profile& p_;
  const ReverseOptions& o_;
  ReverseTree& t_;
  std::vector<uint32_t> frame_name_;
  std::unordered_map<std::string, uint32_t> name_ids_;
  std::unordered_map<uint64_t, uint32_t> edges_;
  size_t steps_ = 0;
};

}  // namespace

ReverseTree build_reverse_tree(const Profile& p, const StackView& v, const ReverseOptions& o) {
  ReverseTree t;
  if (o.depth == 0 && view_entries(v) > o.max_entries) throw too_deep(p, o);
  Builder b(p, o, t);
  for (size_t s = 0; s < v.count; ++s) {
    const int64_t w = v.w[s], dw = s < v.dw.size() ? v.dw[s] : 0;
    if (w == 0 && dw == 0) continue;
    if (v.lists) {
      uint32_t k = v.begin[s + 1];
      const uint32_t first = v.begin[s];
      b.add([&] { return k > first ? v.entries[--k] : UINT32_MAX; }, w, dw);
    } else {
      uint32_t n = static_cast<uint32_t>(s);
      b.add([&] {
        if (n == 0) return UINT32_MAX;
        const uint32_t e = v.entries[n];
        n = v.parent[n];
        return e;
      }, w, dw);
    }
  }
  return t;
}

std::vector<uint32_t> sorted_children(const ReverseTree& t, uint32_t n, bool mean) {
  std::vector<uint32_t> kids;
  for (uint32_t c = t.nodes[n].first_child; c != UINT32_MAX; c = t.nodes[c].next_sibling) kids.push_back(c);
  std::sort(kids.begin(), kids.end(), [&](uint32_t a, uint32_t b) {
    const int64_t x = std::llabs(t.nodes[a].shown(mean)), y = std::llabs(t.nodes[b].shown(mean));
    if (x != y) return x > y;
    return t.names[t.nodes[a].name] < t.names[t.nodes[b].name];
  });
  return kids;
}

}  // namespace perfkit
