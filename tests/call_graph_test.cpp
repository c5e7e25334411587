// lib/call_graph: a call graph's stacks have each function's self cost as flat and self plus its
// calls' inclusive costs as cum, on hand-worked graphs (a diamond, recursion, an inconsistent
// edge, several value types).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "lib/aggregate.h"
#include "lib/call_graph.h"
#include "lib/errors.h"

using namespace perfkit;

namespace {

struct Built {
  Profile p;
  CallGraph g;
  std::map<std::string, uint32_t> node;
};

void add_nodes(Built& b, std::initializer_list<std::pair<const char*, int64_t>> selfs) {
  for (auto [name, self] : selfs) {
    Frame f;
    f.function = b.p.strings.intern(name);
    uint32_t n = b.g.add_node(b.p.intern_frame(f));
    b.g.self[n * b.g.value_count] = self;
    b.node[name] = n;
  }
}

void add_edge(Built& b, const char* from, const char* to, int64_t incl) {
  b.g.edges.push_back({b.node[from], b.node[to]});
  b.g.incl.resize(b.g.edges.size() * b.g.value_count, 0);
  b.g.incl[(b.g.edges.size() - 1) * b.g.value_count] = incl;
}

std::map<std::string, std::pair<int64_t, int64_t>> top(const Profile& p, int vi = 0) {
  AggregateOptions o;
  o.value_index = vi;
  std::map<std::string, std::pair<int64_t, int64_t>> out;
  for (const FlatRow& r : aggregate(p, o).rows)
    out[std::string(p.str(r.name))] = {r.flat, r.cum};
  return out;
}

void one_value_type(Built& b) {
  b.p.value_types.push_back({b.p.strings.intern("Ir"), b.p.strings.intern("count")});
}

}  // namespace

TEST_CASE("a diamond: shared callee, flat = self and cum = self + calls for every function") {
  Built b;
  one_value_type(b);
  // main(1) -> a(2) -> c(10), main -> b(3) -> c; c called from both with different shares.
  add_nodes(b, {{"main", 1}, {"a", 2}, {"b", 3}, {"c", 10}});
  add_edge(b, "main", "a", 6);  // a: 2 + c's 4
  add_edge(b, "main", "b", 9);  // b: 3 + c's 6
  add_edge(b, "a", "c", 4);
  add_edge(b, "b", "c", 6);
  CallGraphStats s = add_call_graph_samples(b.p, b.g);
  CHECK(s.cycle_calls == 0);
  CHECK(s.dropped == 0);
  auto t = top(b.p);
  CHECK(t["main"] == std::pair<int64_t, int64_t>{1, 16});
  CHECK(t["a"] == std::pair<int64_t, int64_t>{2, 6});
  CHECK(t["b"] == std::pair<int64_t, int64_t>{3, 9});
  CHECK(t["c"] == std::pair<int64_t, int64_t>{10, 10});
  // Every stack starts at main: the only function nobody calls.
  for (const Sample& smp : b.p.samples()) CHECK(b.p.str(b.p.frames()[b.p.stack_frames(smp.stack)[0]].function) == "main");
}

TEST_CASE("recursion: self calls left out, a cycle re-enters, cum never above the real one") {
  Built b;
  one_value_type(b);
  // Real stacks: [main f] 4, [main f g] 2, [main f g f] 1, and f calling itself (cost inside).
  // As callgrind writes it: self f 5, g 2; main->f 7, f->g 3, g->f 1, f->f 2.
  add_nodes(b, {{"main", 0}, {"f", 5}, {"g", 2}});
  add_edge(b, "main", "f", 7);
  add_edge(b, "f", "f", 2);
  add_edge(b, "f", "g", 3);
  add_edge(b, "g", "f", 1);
  CallGraphStats s = add_call_graph_samples(b.p, b.g);
  CHECK(s.self_calls == 1);
  CHECK(s.cycle_calls == 1);
  CHECK(s.dropped == 0);
  CHECK(s.orphaned == 0);
  auto t = top(b.p);
  CHECK(t["main"] == std::pair<int64_t, int64_t>{0, 7});
  CHECK(t["f"] == std::pair<int64_t, int64_t>{5, 7});
  CHECK(t["g"].first == 2);
  CHECK(t["g"].second >= 2);
  CHECK(t["g"].second <= 3);  // the real cum; callgrind_annotate would say 3 too
}

TEST_CASE("an edge bringing more than its callee spends is dropped, keeping flat exact") {
  Built b;
  one_value_type(b);
  add_nodes(b, {{"main", 1}, {"x", 4}, {"y", 0}});
  add_edge(b, "main", "x", 7);  // x spends only 4
  add_edge(b, "y", "x", 1);     // y is a root with nothing of its own
  CallGraphStats s = add_call_graph_samples(b.p, b.g);
  CHECK(s.dropped == 4);
  auto t = top(b.p);
  CHECK(t["x"] == std::pair<int64_t, int64_t>{4, 4});
  CHECK(t["main"].first == 1);
  CHECK(t["main"].second + t["y"].second == 1 + 4);
  int64_t total = 0;
  for (size_t i = 0; i < b.p.sample_count(); ++i) total += b.p.value(i, 0);
  CHECK(total == 5);
}

TEST_CASE("self cost that no call reaches becomes its own stack") {
  Built b;
  one_value_type(b);
  add_nodes(b, {{"main", 1}, {"x", 10}});
  add_edge(b, "main", "x", 4);  // x has 10 of its own but main brings only 4: x is also a root
  CallGraphStats s = add_call_graph_samples(b.p, b.g);
  CHECK(s.dropped == 0);
  auto t = top(b.p);
  CHECK(t["x"] == std::pair<int64_t, int64_t>{10, 10});
  CHECK(t["main"] == std::pair<int64_t, int64_t>{1, 5});
}

TEST_CASE("several value types decompose separately into one set of samples") {
  Built b;
  b.g.value_count = 2;
  b.p.value_types.push_back({b.p.strings.intern("Ir"), b.p.strings.intern("count")});
  b.p.value_types.push_back({b.p.strings.intern("Dr"), b.p.strings.intern("count")});
  add_nodes(b, {{"main", 1}, {"leaf", 10}});
  b.g.self[b.node["leaf"] * 2 + 1] = 7;  // Dr of leaf
  add_edge(b, "main", "leaf", 10);
  b.g.incl[1] = 7;
  add_call_graph_samples(b.p, b.g);
  auto ir = top(b.p, 0), dr = top(b.p, 1);
  CHECK(ir["main"] == std::pair<int64_t, int64_t>{1, 11});
  CHECK(dr["main"] == std::pair<int64_t, int64_t>{0, 7});
  CHECK(dr["leaf"] == std::pair<int64_t, int64_t>{7, 7});
}

TEST_CASE("a long chain unfolds in linear work, and a budget stops a hostile graph") {
  Built b;
  one_value_type(b);
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    Frame f;
    f.function = b.p.strings.intern("f" + std::to_string(i));
    uint32_t node = b.g.add_node(b.p.intern_frame(f));
    b.g.self[node] = 1;
  }
  for (int i = 0; i + 1 < n; ++i) {
    b.g.edges.push_back({uint32_t(i), uint32_t(i + 1)});
    b.g.incl.push_back(n - 1 - i);
  }
  CallGraphStats s = add_call_graph_samples(b.p, b.g);
  CHECK(s.stacks == n);
  Built c;
  one_value_type(c);
  c.g = b.g;
  for (auto& fr : c.g.frames) {
    Frame f;
    f.function = c.p.strings.intern(std::string(b.p.str(b.p.frames()[fr].function)));
    fr = c.p.intern_frame(f);
  }
  CHECK_THROWS_AS(add_call_graph_samples(c.p, c.g, 1000), InputError);
}
