// Chrome trace reader: corpus counts, forms, exact times, nesting and self time, cut-short
// salvage and syntax errors. Hand-made traces live in testdata/chrome/.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "formats/chrome/chrome_event.h"
#include "formats/registry.h"
#include "lib/decimal_time.h"
#include "lib/errors.h"
#include "lib/span_nesting.h"

using namespace perfkit;

namespace {

std::string data_path(const std::string& rel) { return std::string(PERFKIT_SOURCE_DIR) + "/" + rel; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Profile read_text(std::string_view text, const std::string& path = "mem.json") {
  InputBuffer in(text.size());
  std::memcpy(in.data(), text.data(), text.size());
  in.path = path;
  ReadOptions opts;
  opts.input_format = "chrome";
  return read_profile(in, opts);
}

Profile read_file(const std::string& rel) {
  ReadOptions opts;
  return read_profile(data_path(rel), opts);
}

int64_t total_events(const Profile& p) {
  int64_t n = 0;
  for (const auto& [ph, c] : p.events_by_phase) n += c;
  return n;
}

const Span& span_named(const Profile& p, std::string_view name) {
  for (const Span& s : p.spans)
    if (p.str(s.name) == name) return s;
  FAIL("no span named " << name);
  return p.spans.front();
}

const Warning* warning_with(const Profile& p, std::string_view text) {
  for (const Warning& w : p.warnings)
    if (w.what.find(text) != std::string::npos) return &w;
  return nullptr;
}

std::string warnings_text(const Profile& p) {
  std::string out;
  for (const Warning& w : p.warnings) out += w.what + " (" + std::to_string(w.count) + ")\n";
  return out;
}

// Sample value of the stack whose frames, root first, are `names`.
int64_t stack_value(const Profile& p, std::vector<std::string_view> names) {
  for (size_t i = 0; i < p.samples().size(); ++i) {
    auto frames = p.stack_frames(p.samples()[i].stack);
    if (frames.size() != names.size()) continue;
    bool same = true;
    for (size_t k = 0; k < frames.size(); ++k)
      same = same && p.str(p.frames()[frames[k]].function) == names[k];
    if (same) return p.value(i, 0);
  }
  return -1;
}

}  // namespace

TEST_CASE("decimal microseconds parse exactly into nanoseconds") {
  auto ns = [](std::string_view t) {
    int64_t v = -42;
    REQUIRE(parse_decimal_scaled(t, 3, v) == DecimalStatus::kOk);
    return v;
  };
  CHECK(ns("1587.123456") == 1587123);
  CHECK(ns("1.0005") == 1001);  // 1000.5 ns, half rounds up
  CHECK(ns("1.0004999") == 1000);
  CHECK(ns("12.5") == 12500);
  CHECK(ns("0") == 0);
  CHECK(ns("-0.0005") == -1);
  CHECK(ns("1e3") == 1000000);
  CHECK(ns("1.5E-3") == 2);
  CHECK(ns("398269522") == 398269522000);
  CHECK(ns("1700000000000000.123") == 1700000000000000123);
  CHECK(ns("9223372036854775.807") == INT64_MAX);
  CHECK(ns(" 7 ") == 7000);
  int64_t v = 0;
  CHECK(parse_decimal_scaled("9223372036854775.808", 3, v) == DecimalStatus::kOverflow);
  CHECK(parse_decimal_scaled("1e300", 3, v) == DecimalStatus::kOverflow);
  CHECK(parse_decimal_scaled("NaN", 3, v) == DecimalStatus::kInvalid);
  CHECK(parse_decimal_scaled("Infinity", 3, v) == DecimalStatus::kInvalid);
  CHECK(parse_decimal_scaled("", 3, v) == DecimalStatus::kInvalid);
  CHECK(parse_decimal_scaled(".", 3, v) == DecimalStatus::kInvalid);
  CHECK(parse_decimal_scaled("1.2.3", 3, v) == DecimalStatus::kInvalid);
  CHECK(parse_decimal_scaled("12", 0, v) == DecimalStatus::kOk);
  CHECK(v == 12);
}

TEST_CASE("corpus: clang -ftime-trace counts, summary events and beginningOfTime") {
  Profile p = read_file("testdata/chrome/clang_ftime_trace.json");
  CHECK(p.format == "chrome");
  CHECK(p.flavor == "object");
  CHECK(p.events_by_phase == std::map<std::string, int64_t>{{"M", 2}, {"X", 30820}});
  CHECK(p.warnings.empty());
  CHECK(p.meta.time_ns > 0);
  int64_t summaries = 0;
  const Span* heaviest = nullptr;
  for (const Span& s : p.spans) {
    const bool total = is_summary_name(p.str(s.name));
    CHECK_MESSAGE(total == s.summary, p.str(s.name));
    summaries += s.summary;
    if (!s.summary && (!heaviest || s.self_ns > heaviest->self_ns)) heaviest = &s;
  }
  CHECK(summaries == 94);
  REQUIRE(heaviest);
  CHECK_FALSE(p.str(heaviest->name).starts_with("Total"));
  // The samples hold exactly the self time of the real spans: the ExecuteCompiler wall time.
  int64_t sum = 0;
  for (size_t i = 0; i < p.samples().size(); ++i) sum += p.value(i, 0);
  CHECK(sum == span_named(p, "ExecuteCompiler").dur_ns);
  CHECK(p.process_names.at(11553) == "clang");
}

TEST_CASE("corpus: node trace counts and the 9 async begins never ended") {
  Profile p = read_file("testdata/chrome/node_trace_events.json");
  CHECK(p.events_by_phase == std::map<std::string, int64_t>{
                                 {"B", 11}, {"E", 11}, {"I", 6}, {"M", 18}, {"X", 130},
                                 {"b", 362}, {"e", 353}});
  const Warning* w = warning_with(p, "async b events never ended");
  REQUIRE_MESSAGE(w, warnings_text(p));
  CHECK(w->count == 9);
  CHECK(w->path == data_path("testdata/chrome/node_trace_events.json"));
  int64_t unclosed_async = 0;
  for (const Span& s : p.spans) unclosed_async += s.kind == SpanKind::kAsync && s.unclosed;
  CHECK(unclosed_async == 9);
}

TEST_CASE("array form: X and B/E nesting, exact self times, decimal and string times") {
  Profile p = read_file("testdata/chrome/nesting_array.json");
  CHECK(p.flavor == "array");
  CHECK(p.events_by_phase == std::map<std::string, int64_t>{
                                 {"B", 2}, {"C", 1}, {"E", 2}, {"M", 2}, {"X", 4}, {"i", 1}});
  CHECK(p.warnings.empty());
  // root [0,10) holds first [0,1) (equal start: longer first) and child [2,5).
  CHECK(span_named(p, "root").self_ns == 6000);
  CHECK(span_named(p, "root").depth == 0);
  CHECK(span_named(p, "first").depth == 1);
  CHECK(span_named(p, "child").depth == 1);
  CHECK(span_named(p, "child").self_ns == 3000);
  // outer [100,110) holds inner [101.5,104).
  CHECK(span_named(p, "outer").dur_ns == 10000);
  CHECK(span_named(p, "inner").dur_ns == 2500);
  CHECK(span_named(p, "outer").self_ns == 7500);
  CHECK(span_named(p, "inner").depth == 1);
  CHECK(span_named(p, "tick").kind == SpanKind::kInstant);
  CHECK(span_named(p, "decimal").start_ns == 1001);
  CHECK(span_named(p, "decimal").dur_ns == 12500);
  CHECK(stack_value(p, {"root"}) == 6000);
  CHECK(stack_value(p, {"root", "child"}) == 3000);
  CHECK(stack_value(p, {"outer", "inner"}) == 2500);
  CHECK(p.thread_names.at(ThreadKey{1, 1}) == "main");
  CHECK(p.process_names.at(1) == "app");
  CHECK(p.meta.duration_ns == 110000 - 0);
}

TEST_CASE("object form: string pid/tid, async ids, bad values dropped and counted") {
  Profile p = read_file("testdata/chrome/object_form.json");
  CHECK(p.flavor == "object");
  CHECK(p.display_time_unit == "ns");
  CHECK(p.meta.time_ns == 1700000000000000000);
  CHECK(p.events_by_phase == std::map<std::string, int64_t>{
                                 {"X", 5}, {"b", 2}, {"e", 1}, {"s", 1}});
  const Span& a = span_named(p, "a");
  CHECK(a.start_ns == 12500);
  CHECK(a.pid >= kSyntheticIdBase);
  CHECK(p.process_names.at(a.pid) == "Spans");
  CHECK(p.thread_names.at(ThreadKey{a.pid, a.tid}) == "worker");
  CHECK(span_named(p, "b").depth == 1);
  CHECK(a.self_ns == 8000);
  CHECK(warning_with(p, "unparsable or out-of-range \"ts\"")->count == 2);
  CHECK(warning_with(p, "negative \"dur\"")->count == 1);
  CHECK(warning_with(p, "async b events never ended")->count == 1);
  bool kept_other = false;
  for (StrId c : p.meta.comments) kept_other |= p.str(c).starts_with("otherData: ");
  CHECK(kept_other);
}

TEST_CASE("JSON-lines: one event per line, blank lines skipped, unclosed B counted") {
  Profile p = read_file("testdata/chrome/events.jsonl");
  CHECK(p.flavor == "jsonl");
  CHECK(p.events_by_phase == std::map<std::string, int64_t>{{"B", 1}, {"M", 1}, {"X", 2}});
  CHECK(span_named(p, "work").start_ns == 10250);
  CHECK(span_named(p, "sub").depth == 1);
  CHECK(span_named(p, "open").unclosed);
  CHECK(warning_with(p, "B events never ended"));
  CHECK(p.process_names.at(3) == "frag");
}

TEST_CASE("overlapping spans are clipped to their parent and counted") {
  Profile p = read_text(R"([
    {"ph":"X","name":"parent","pid":1,"tid":1,"ts":0,"dur":10},
    {"ph":"X","name":"spill","pid":1,"tid":1,"ts":5,"dur":10},
    {"ph":"X","name":"later","pid":1,"tid":1,"ts":20,"dur":1}])");
  const Warning* w = warning_with(p, "overlap their parent");
  REQUIRE(w);
  CHECK(w->count == 1);
  CHECK(span_named(p, "parent").self_ns == 5000);
  CHECK(span_named(p, "spill").self_ns == 5000);
  CHECK(span_named(p, "spill").dur_ns == 10000);  // the span itself is not changed
  CHECK(span_named(p, "later").depth == 0);
}

TEST_CASE("B/E: E without B, name mismatch, equal timestamps") {
  Profile p = read_text(R"([
    {"ph":"E","pid":1,"tid":1,"ts":0},
    {"ph":"B","name":"a","pid":1,"tid":1,"ts":1},
    {"ph":"B","name":"b","pid":1,"tid":1,"ts":1},
    {"ph":"E","name":"zzz","pid":1,"tid":1,"ts":1},
    {"ph":"E","pid":1,"tid":1,"ts":4}
  ,])");
  CHECK(warning_with(p, "E events without an open B")->count == 1);
  CHECK(warning_with(p, "name differs")->count == 1);
  CHECK(span_named(p, "a").dur_ns == 3000);
  CHECK(span_named(p, "b").dur_ns == 0);
  CHECK(span_named(p, "b").depth == 1);
}

TEST_CASE("node trace cut short at several places keeps every complete event") {
  const std::string full = slurp(data_path("testdata/chrome/node_trace_events.json"));
  REQUIRE(full.size() == 148053);
  struct Cut {
    size_t at;
    int64_t kept;
    int64_t skipped;
  };
  // Offsets and counts from Python's json.raw_decode over the events (see the commit message).
  const Cut cuts[] = {
      {16771, 100, 0},   // right after an event's '}'
      {33985, 200, 0},   // after an event and its comma
      {50960, 299, 1},   // in the middle of an event, inside a string
      {66151, 399, 1},   // inside a name string
      {83234, 499, 1},   // inside a number ("ts":3984721...)
      {148051, 891, 0},  // only "]}" missing
  };
  for (const Cut& c : cuts) {
    CAPTURE(c.at);
    Profile p = read_text(std::string_view(full).substr(0, c.at), "cut.json");
    CHECK(total_events(p) == c.kept);
    const Warning* w = warning_with(p, "trace cut short at byte");
    REQUIRE_MESSAGE(w, warnings_text(p));
    CHECK(w->path == "cut.json");
    if (c.skipped)
      CHECK(w->what.find("1 incomplete event skipped") != std::string::npos);
    else
      CHECK(w->what.find("all " + std::to_string(c.kept) + " complete events kept") !=
            std::string::npos);
    // The array form of the same events cut at the same event.
    std::string array = "[" + full.substr(16, c.at - 16);  // after {"traceEvents":[
    Profile q = read_text(array, "cut_array.json");
    CHECK(q.flavor == "array");
    CHECK(total_events(q) == c.kept);
    CHECK(warning_with(q, "trace cut short at byte"));
  }
}

TEST_CASE("many windows: tricky strings and nested args, cut anywhere") {
  // ~3 MB of events, well past one parse window, with '},{' inside strings and args.
  std::string text = "[\n";
  std::vector<size_t> ends;
  const int kEvents = 20000;
  for (int i = 0; i < kEvents; ++i) {
    if (i) text += ",\n";
    text += R"({"ph":"X","name":"f)" + std::to_string(i % 97) + R"( \"},{\" x","pid":1,"tid":)" +
            std::to_string(i % 3) + R"(,"ts":)" + std::to_string(i * 10) +
            R"(.5,"dur":4,"args":{"l":[{"a":"},{"},{"b":[]}],"s":"]}"}})";
    ends.push_back(text.size());
  }
  text += "\n]\n";
  Profile p = read_text(text);
  CHECK(p.events_by_phase.at("X") == kEvents);
  CHECK(p.warnings.empty());
  for (size_t cut : {size_t{700000}, size_t{1234567}, ends[15000], ends[15000] - 1, text.size() - 3}) {
    CAPTURE(cut);
    Profile q = read_text(std::string_view(text).substr(0, cut));
    int64_t expect = std::upper_bound(ends.begin(), ends.end(), cut) - ends.begin();
    CHECK(total_events(q) == expect);
    CHECK(warning_with(q, "trace cut short"));
  }
}

TEST_CASE("JSON-lines fragment with a cut last line keeps every complete line") {
  const std::string rel = "testdata/chrome/fragments/worker-1-head.jsonl";
  const std::string text = slurp(data_path(rel));
  const int64_t lines = std::count(text.begin(), text.end(), '\n');  // the cut line has none
  REQUIRE(text.back() != '\n');
  Profile p = read_file(rel);
  CHECK(p.flavor == "jsonl");
  CHECK(total_events(p) == lines);
  const Warning* w = warning_with(p, "1 line cut short at line " + std::to_string(lines + 1));
  REQUIRE_MESSAGE(w, warnings_text(p));
  CHECK(w->path == data_path(rel));
}

TEST_CASE("syntax errors in the middle are errors with a byte offset") {
  auto error_of = [](const std::string& rel) -> std::string {
    try {
      read_file(rel);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  std::string e = error_of("testdata/bad/chrome_syntax_error.json");
  CHECK_MESSAGE(e.find(": byte 99: expected ',' or '}'") != std::string::npos, e);
  e = error_of("testdata/chrome/bad/broken_middle_line.jsonl");
  CHECK_MESSAGE(e.find(": byte 104: line 2: ") != std::string::npos, e);
  // Not a cut: garbage after the end, and a bracket in the wrong place.
  CHECK_THROWS_AS(read_text(R"([{"ph":"X","name":"a","ts":1,"dur":1}] x)"), InputError);
  CHECK_THROWS_AS(read_text(R"({"traceEvents":[{"ph":"X"}}, {"ph":"X"}]})"), InputError);
  CHECK_THROWS_AS(read_text(R"([{"ph":"X","name":"a" "cat":"b"}, {"ph":"X"}])"), InputError);
  // Like simdjson On-Demand, values that are skipped (args of non-metadata events) are checked
  // only for their brackets: a trailing comma inside them is not an error.
  CHECK_NOTHROW(read_text(R"([{"ph":"X","ts":1,"dur":1,"args":{"a":1,}}, {"ph":"X"}])"));
}

TEST_CASE("probe: the three forms say yes, other text no") {
  CHECK(probe_chrome("[{\"ph\":\"X\"}]") == Probe::kYes);
  CHECK(probe_chrome("  {\"traceEvents\": []}") == Probe::kYes);
  CHECK(probe_chrome("{\"ph\":\"X\",\"name\":\"a\"}\n{\"ph\":\"X\"}\n") == Probe::kYes);
  CHECK(probe_chrome("main;foo 12\n") == Probe::kNo);
  CHECK(probe_chrome("") == Probe::kNo);
}
