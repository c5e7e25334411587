// The HTML report's data embedding: HTML-safe JSON strings, pruning of tiny flame frames into
// "(other)" with their weight kept, caps on frames and table rows, hostile names never raw.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "lib/flame.h"
#include "lib/summary.h"
#include "reports/html_data.h"
#include "reports/html_json.h"
#include "reports/report_html.h"
#include "tests/flame_test_util.h"

namespace perfkit {
namespace {

using testing::make_stacks;

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t i = hay.find(needle); i != std::string::npos; i = hay.find(needle, i + 1)) ++n;
  return n;
}

// The JSON between <script type="application/json" ...> and </script>.
nlohmann::json page_data(const std::string& page) {
  size_t from = page.find("id=\"perfkit-data\">");
  REQUIRE(from != std::string::npos);
  from = page.find('>', from) + 1;
  size_t to = page.find("</script>", from);
  REQUIRE(to != std::string::npos);
  return nlohmann::json::parse(page.substr(from, to - from));
}

HtmlReportData data_of(const Profile& p, int64_t rows = 0) {
  HtmlReportData d;
  d.title = "t";
  d.version = "0";
  d.inputs.push_back(summarize(p));
  HtmlView v;
  v.type = "cpu";
  v.unit = "nanoseconds";
  v.flame = build_flame_tree(p, FlameOptions{});
  v.total = v.flame.total();
  for (int64_t i = 0; i < rows; ++i) v.rows.push_back({"f" + std::to_string(i), "", i, i, -1});
  d.views.push_back(std::move(v));
  return d;
}

}  // namespace

TEST_CASE("html json: strings cannot close a script element or break a JS parser") {
  std::string out;
  append_html_json_string(out, "</script><b>&\xE2\x80\xA8x\xE2\x80\xA9y\xE2\x82\xAC\xff");
  CHECK(out == "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028x\\u2029y\xE2\x82\xAC\xEF\xBF\xBD\"");
  HtmlJson j;
  j.begin_object().key("a").begin_array().num(int64_t{1}).str("x").null().end_array();
  j.key("b").boolean(true).key("c").num(0.5).key("d").num(1.0 / 0.0).end_object();
  CHECK(j.text() == R"({"a":[1,"x",null],"b":true,"c":0.5,"d":null})");
  CHECK(nlohmann::json::parse(j.text())["c"] == 0.5);
}

TEST_CASE("html report: hostile function names stay inside the JSON block") {
  Profile p = make_stacks({{{"main", "</script><script>alert(1)</script>"}, 5},
                           {{"main", "<img src=x onerror=alert(1)>"}, 3}});
  std::string page = render_html_report(data_of(p));
  CHECK(count(page, "</script>") == 2);  // the data block's and the page script's own
  CHECK(count(page, "<img") == 0);
  nlohmann::json d = page_data(page);
  auto names = d["names"].get<std::vector<std::string>>();
  CHECK(std::find(names.begin(), names.end(), "</script><script>alert(1)</script>") != names.end());
  CHECK(std::find(names.begin(), names.end(), "<img src=x onerror=alert(1)>") != names.end());
}

TEST_CASE("html report: tiny frames merge into one (other) per parent, weight kept") {
  std::vector<std::pair<std::vector<std::string>, int64_t>> stacks{{{"main", "big"}, 1000000}};
  for (int i = 0; i < 300; ++i) stacks.push_back({{"main", "tiny" + std::to_string(i), "leaf"}, 1});
  Profile p = make_stacks(stacks);
  HtmlReportData d = data_of(p, 5000);
  d.limits.min_flame_fraction = 1e-4;  // 100 of 1000300: every tiny frame is pruned
  nlohmann::json j = page_data(render_html_report(d));
  const auto& f = j["views"][0]["flame"];
  auto names = j["names"].get<std::vector<std::string>>();
  auto p_col = f["p"].get<std::vector<int64_t>>();
  auto n_col = f["n"].get<std::vector<int64_t>>();
  auto v_col = f["v"].get<std::vector<int64_t>>();
  REQUIRE(v_col.size() == 4);  // all, main, big, (other)
  CHECK(names[n_col[3]] == "(other)");
  CHECK(p_col[3] == 1);
  CHECK(v_col[3] == 300);
  CHECK(v_col[1] == v_col[2] + v_col[3]);  // main = big + (other): nothing lost
  CHECK(f["pruned"] == 300);
  CHECK(j["views"][0]["rows"].size() == d.limits.max_table_rows);
  CHECK(j["views"][0]["rows_total"] == 5000);

  // The frame cap holds even when every frame is above the fraction.
  d.limits.min_flame_fraction = 0;
  d.limits.max_flame_nodes = 100;
  nlohmann::json capped = page_data(render_html_report(d));
  CHECK(capped["views"][0]["flame"]["v"].size() <= 100);
  CHECK(capped["views"][0]["flame"]["v"][0] == 1000300);
}

TEST_CASE("html report: pre-order columns, children after their parent") {
  Profile p = make_stacks({{{"main", "a", "x"}, 5}, {{"main", "b"}, 3}, {{"other"}, 2}});
  nlohmann::json j = page_data(render_html_report(data_of(p)));
  auto names = j["names"].get<std::vector<std::string>>();
  const auto& f = j["views"][0]["flame"];
  std::vector<std::string> order;
  for (auto n : f["n"]) order.push_back(names[n.get<int>()]);
  CHECK(order == std::vector<std::string>{"all", "main", "a", "x", "b", "other"});
  auto p_col = f["p"].get<std::vector<int64_t>>();
  for (size_t i = 1; i < p_col.size(); ++i) CHECK(p_col[i] < static_cast<int64_t>(i));
}

}  // namespace perfkit
