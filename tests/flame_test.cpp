#include <doctest/doctest.h>

#include "lib/flame.h"
#include "reports/escape.h"
#include "reports/flame_colors.h"
#include "reports/flame_svg.h"
#include "tests/flame_test_util.h"

using namespace perfkit;
using namespace perfkit::testing;

namespace {

uint32_t find(const FlameTree& t, const std::string& path) {
  for (uint32_t i = 1; i < t.nodes.size(); ++i)
    if (flame_path(t, i) == path) return i;
  FAIL("no node " << path);
  return 0;
}

}  // namespace

TEST_CASE("flame tree: inclusive values, self, children in name order, frames merged by name") {
  Profile p = make_stacks({{{"main", "b", "x"}, 5}, {{"main", "a"}, 3}, {{"main"}, 2}, {{"main", "b"}, 1}});
  // The same function at another line is the same flame node.
  StackId s = p.child(p.child(kEmptyStack, p.intern_frame({p.strings.intern("main"), 0, 0, false})),
                      p.intern_frame({p.strings.intern("b"), p.strings.intern("f.go"), 42, false}));
  int64_t v = 4;
  p.add_sample(s, &v);
  FlameTree t = build_flame_tree(p, {});
  CHECK(t.total() == 15);
  CHECK(t.type == "cpu");
  uint32_t main = find(t, "main"), b = find(t, "main;b"), a = find(t, "main;a");
  CHECK(t.nodes[main].value == 15);
  CHECK(t.nodes[main].self == 2);
  CHECK(t.nodes[b].value == 10);
  CHECK(t.nodes[b].self == 5);
  CHECK(t.nodes[main].first_child == a);  // "a" before "b"
  CHECK(t.nodes[a].next_sibling == b);
  std::vector<int64_t> off = flame_offsets(t);
  CHECK(off[a] == 0);
  CHECK(off[b] == 3);
  CHECK(off[find(t, "main;b;x")] == 3);
}

TEST_CASE("pruning keeps the weight of narrow frames in the parent") {
  Profile p = make_stacks({{{"main", "big"}, 990}, {{"main", "tiny"}, 10}});
  FlameTree t = build_flame_tree(p, {});
  auto vis = flame_visible(t, 0.02);
  CHECK(vis[find(t, "main")]);
  CHECK(vis[find(t, "main;big")]);
  CHECK_FALSE(vis[find(t, "main;tiny")]);
  CHECK(t.nodes[find(t, "main")].value == 1000);
  std::string svg = render_flame_svg(t, FlameSvgOptions{"", "", 1000, 25, false, "hot"});
  CHECK(svg.find("data-p=\"10\"") != std::string::npos);  // the pruned weight, on main
  CHECK(svg.find(">tiny") == std::string::npos);
}

TEST_CASE("differential tree: widths from new, deltas by self or total, normalize") {
  Profile base = make_stacks({{{"main", "a"}, 100}, {{"main", "c"}, 100}});
  Profile cur = make_stacks({{{"main", "a"}, 100}, {{"main", "a", "x"}, 50}, {{"main", "c"}, 50}});
  FlameTree t = build_diff_flame_tree(base, cur, {}, {});
  CHECK(t.differential);
  CHECK(t.total() == 200);
  CHECK(t.base_total == 200);
  auto self = flame_deltas(t, DiffBy::kSelf, false);
  auto total = flame_deltas(t, DiffBy::kTotal, false);
  CHECK(self[find(t, "main;a")] == doctest::Approx(0));
  CHECK(total[find(t, "main;a")] == doctest::Approx(50));
  CHECK(self[find(t, "main;a;x")] == doctest::Approx(50));
  CHECK(self[find(t, "main;c")] == doctest::Approx(-50));
  Profile half = make_stacks({{{"main", "a"}, 50}, {{"main", "c"}, 50}});
  FlameTree n = build_diff_flame_tree(half, cur, {}, {});
  auto norm = flame_deltas(n, DiffBy::kTotal, true);
  CHECK(norm[find(n, "main;a")] == doctest::Approx(50));  // base 50 scaled x2 = 100 -> 150
  CHECK(norm[find(n, "main;c")] == doctest::Approx(-50));
  std::string svg = render_flame_svg(t, {});
  CHECK(svg.find("rgb(255,0,0)") != std::string::npos);  // x: the largest growth, full red
  CHECK(svg.find("rgb(0,0,255)") != std::string::npos);  // c: the largest shrinkage, full blue
  CHECK(svg.find("data-b=\"100\"") != std::string::npos);
}

TEST_CASE("colors are a function of the name: the same on every run, by package when asked") {
  Rgb a = flame_color("main.serve", "hot"), b = flame_color("main.serve", "hot");
  CHECK(a.r == b.r);
  CHECK(a.g == b.g);
  CHECK(a.b == b.b);
  CHECK(a.r >= 205);
  CHECK(a.b <= 55);
  // Pinned: FNV-1a based, no random seed anywhere.
  Rgb pinned = flame_color("runtime.mallocgc", "hot");
  Rgb again = flame_color(std::string("runtime.") + "mallocgc", "hot");
  CHECK(pinned.g == again.g);
  CHECK(package_of("example.com/svc/db.(*Row).Scan") == "example.com/svc/db");
  CHECK(package_of("std::vector<int>::push_back") == "std");
  CHECK(package_of("json.decoder.scan") == "json");
  CHECK(package_of("main") == "main");
  Rgb p1 = flame_color("example.com/svc/db.(*Row).Scan", "by-package");
  Rgb p2 = flame_color("example.com/svc/db.Open", "by-package");
  CHECK(p1.r == p2.r);
  CHECK(p1.g == p2.g);
  CHECK(p1.b == p2.b);
}

TEST_CASE("names are escaped and sanitized in the SVG") {
  std::string evil = "</script><script>alert(1)</script>";
  std::string ctrl = std::string("bad\x01name\xff\xfe") + "\"'&";
  Profile p = make_stacks({{{"main", evil}, 10}, {{"main", ctrl}, 10}});
  std::string svg = render_flame_svg(build_flame_tree(p, {}), {});
  CHECK(svg.find("<script>alert") == std::string::npos);
  CHECK(svg.find("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(svg.find('\x01') == std::string::npos);
  CHECK(svg.find("\xff") == std::string::npos);
  CHECK(svg.find("badname\xEF\xBF\xBD\xEF\xBF\xBD&quot;&#39;&amp;") != std::string::npos);
  // Exactly one script element: ours.
  size_t n = 0;
  for (size_t i = svg.find("<script"); i != std::string::npos; i = svg.find("<script", i + 1)) ++n;
  CHECK(n == 1);
  CHECK(svg.find("<script") > svg.rfind("class=\"f\""));  // runs after the frames exist
  CHECK(render_flame_svg(build_flame_tree(p, {}), {}) == svg);  // byte-identical twice
}

TEST_CASE("escape helpers") {
  CHECK(sanitize_utf8("a\xc3\xa9z") == "a\xc3\xa9z");
  CHECK(sanitize_utf8("\xc0\xaf") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  CHECK(sanitize_utf8("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  std::string j;
  append_json_string(j, "a\"\\\n<\x02");
  CHECK(j == "\"a\\\"\\\\\\n\\u003c\\u0002\"");
  CHECK(truncate_label("abcdef", 10) == "abcdef");
  CHECK(truncate_label("abcdef", 4) == "ab..");
  CHECK(truncate_label("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3) == "\xc3\xa9..");
  CHECK(truncate_label("abcdef", 2) == "");
}

TEST_CASE("golden: flame SVG of a small folded file, and icicle") {
  Profile p = read_text(file_bytes(source_path("testdata/folded/small.folded")), "small.folded");
  FlameTree t = build_flame_tree(p, {});
  CHECK(t.total() == 21);
  check_golden("flame/small.svg", render_flame_svg(t, {}));
  FlameSvgOptions icicle;
  icicle.icicle = true;
  icicle.colors = "by-package";
  icicle.title = "Small <icicle>";
  check_golden("flame/small_icicle.svg", render_flame_svg(t, icicle));
}
