// perfkit spans: exact nearest-rank percentiles on traces whose durations are known.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/span_stats.h"
#include "reports/spans_report.h"

using namespace perfkit;

namespace {

constexpr int64_t kMs = 1000000;

const SpanStat& find(const SpanStats& s, const std::string& key) {
  for (const auto& r : s.rows)
    if (r.key == key) return r;
  FAIL("no span group " << key);
  static SpanStat none;
  return none;
}

void add(Profile& p, const char* name, const char* cat, int64_t tid, int64_t start, int64_t dur,
         int64_t self, SpanKind kind = SpanKind::kComplete) {
  Span s;
  s.pid = 1;
  s.tid = tid;
  s.name = p.strings.intern(name);
  s.cat = p.strings.intern(cat);
  s.start_ns = start;
  s.dur_ns = dur;
  s.self_ns = self;
  s.kind = kind;
  p.spans.push_back(s);
}

}  // namespace

TEST_CASE("nearest-rank percentiles") {
  std::vector<int64_t> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  CHECK(nearest_rank(v, 50) == 50);
  CHECK(nearest_rank(v, 90) == 90);
  CHECK(nearest_rank(v, 99) == 99);
  CHECK(nearest_rank(v, 100) == 100);
  CHECK(nearest_rank({7}, 99) == 7);
  CHECK(nearest_rank({1, 2, 3, 4}, 50) == 2);
  CHECK(nearest_rank({1, 2, 3, 4}, 51) == 3);
  CHECK(nearest_rank({}, 50) == 0);
}

TEST_CASE("span stats per name: counts, totals, self, exact percentiles; skips") {
  Profile p;
  p.format = "chrome";
  int64_t t = 0;
  for (int i = 100; i >= 1; --i) {  // out of order on purpose
    add(p, "step", "train", 1, t, i * kMs, i * kMs / 2);
    t += i * kMs;
  }
  add(p, "req", "net", 2, 0, 7 * kMs, 0, SpanKind::kAsync);
  add(p, "mark", "net", 2, 0, 0, 0, SpanKind::kInstant);
  add(p, "Total step", "", 3, 0, 999 * kMs, 999 * kMs);
  p.spans.back().summary = true;
  add(p, "cut", "", 2, 0, 5 * kMs, 5 * kMs);
  p.spans.back().unclosed = true;
  SpanStats s = compute_span_stats(p, {});
  CHECK(s.summary_skipped == 1);
  CHECK(s.instant_skipped == 1);
  CHECK(s.unclosed_skipped == 1);
  REQUIRE(s.rows.size() == 2);
  const SpanStat& step = s.rows[0];  // sorted by total
  CHECK(step.key == "step");
  CHECK(step.count == 100);
  CHECK(step.total_ns == 5050 * kMs);
  CHECK(step.self_ns == 2525 * kMs);
  CHECK(step.mean_ns == 50500000);
  CHECK(step.min_ns == 1 * kMs);
  CHECK(step.p50_ns == 50 * kMs);
  CHECK(step.p90_ns == 90 * kMs);
  CHECK(step.p95_ns == 95 * kMs);
  CHECK(step.p99_ns == 99 * kMs);
  CHECK(step.max_ns == 100 * kMs);
  const SpanStat& req = find(s, "req");
  CHECK(req.async);
  CHECK(req.self_ns == 7 * kMs);

  SpanStatsOptions o;
  o.by = SpanGroupBy::kCat;
  o.sort = SpanSortKey::kName;
  o.limit = 1;
  s = compute_span_stats(p, o);
  REQUIRE(s.rows.size() == 1);
  CHECK(s.group_count == 2);
  CHECK(s.rows[0].key == "net");

  std::string text = render_spans_text(compute_span_stats(p, {}));
  CHECK(text.find("50.5ms") != std::string::npos);
  CHECK(text.find("req (async)") != std::string::npos);
  auto j = nlohmann::json::parse(render_spans_json(compute_span_stats(p, {})));
  CHECK(j["rows"][0]["p99_ns"] == 99 * kMs);
  CHECK(render_spans_csv(compute_span_stats(p, {})).rfind("name,kind,count,total_ns", 0) == 0);
}

TEST_CASE("sort and group keys parse; bad ones are usage errors") {
  CHECK(parse_span_sort("p99") == SpanSortKey::kP99);
  CHECK(parse_span_group("name+cat") == SpanGroupBy::kNameCat);
  CHECK_THROWS_AS(parse_span_sort("p42"), UsageError);
  CHECK_THROWS_AS(parse_span_group("pid"), UsageError);
}

TEST_CASE("spans on testdata/chrome/spans_known.json: exact percentiles of a real file") {
  // 100 `step` spans of 1..100 ms, each with a `compute` child of half its length; 10 B/E
  // `read` spans of 2 ms on another thread; one async `request` of 7 ms; one instant.
  Profile p = read_profile(std::string(PERFKIT_SOURCE_DIR) + "/testdata/chrome/spans_known.json", {});
  SpanStats s = compute_span_stats(p, {});
  const SpanStat& step = find(s, "step");
  CHECK(step.count == 100);
  CHECK(step.p50_ns == 50 * kMs);
  CHECK(step.p90_ns == 90 * kMs);
  CHECK(step.p95_ns == 95 * kMs);
  CHECK(step.p99_ns == 99 * kMs);
  CHECK(step.max_ns == 100 * kMs);
  CHECK(step.total_ns == 5050 * kMs);
  CHECK(step.self_ns == 2525 * kMs);  // minus the compute children
  const SpanStat& compute = find(s, "compute");
  CHECK(compute.p50_ns == 25 * kMs);
  CHECK(compute.p99_ns == 49500000);
  const SpanStat& read = find(s, "read");
  CHECK(read.count == 10);
  CHECK(read.p99_ns == 2 * kMs);
  CHECK(find(s, "request").async);
  CHECK(s.instant_skipped == 1);
  SpanStatsOptions by_thread;
  by_thread.by = SpanGroupBy::kThread;
  CHECK(find(compute_span_stats(p, by_thread), "main (1/1)").count == 200);
}
