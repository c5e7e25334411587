// Chrome object form's sampled stacks (stackFrames + samples): frames resolved root first, totals
// and weights in their own value types next to the spans' wall time, labels, bad frames and
// samples counted, loops cut, and a 1,000,000-deep parent chain read without recursion.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "formats/registry.h"
#include "lib/errors.h"

using namespace perfkit;

namespace {

Profile read_trace(std::string_view text) {
  InputBuffer in(text.size());
  std::memcpy(in.data(), text.data(), text.size());
  in.path = "mem.json";
  ReadOptions opts;
  opts.input_format = "chrome";
  return read_profile(in, opts);
}

int64_t total(const Profile& p, std::string_view type) {
  const int vi = p.find_value_type(type);
  REQUIRE(vi >= 0);
  int64_t sum = 0;
  for (size_t i = 0; i < p.samples().size(); ++i) sum += p.value(i, static_cast<size_t>(vi));
  return sum;
}

// "a;b;c" for a stack, root first.
std::string stack_text(const Profile& p, StackId id) {
  std::string out;
  for (FrameId f : p.stack_frames(id)) {
    if (!out.empty()) out += ';';
    out += p.str(p.frames()[f].function);
  }
  return out;
}

// The summed value of one type over the samples whose stack reads `stack`.
int64_t value_at(const Profile& p, std::string_view stack, std::string_view type) {
  const int vi = p.find_value_type(type);
  REQUIRE(vi >= 0);
  int64_t sum = 0;
  for (size_t i = 0; i < p.samples().size(); ++i)
    if (stack_text(p, p.samples()[i].stack) == stack) sum += p.value(i, static_cast<size_t>(vi));
  return sum;
}

int64_t warned(const Profile& p, std::string_view text) {
  for (const Warning& w : p.warnings)
    if (w.what.find(text) != std::string::npos) return w.count;
  return 0;
}

std::string data_path(const std::string& rel) { return std::string(PERFKIT_SOURCE_DIR) + "/" + rel; }

}  // namespace

TEST_CASE("stack_samples.json: frames, totals, weights, wall time kept as the default") {
  ReadOptions opts;
  Profile p = read_profile(data_path("testdata/chrome/stack_samples.json"), opts);
  REQUIRE(p.value_types.size() == 3);
  CHECK(p.str(p.value_types[0].type) == "wall");
  CHECK(p.str(p.value_types[1].type) == "samples");
  CHECK(p.str(p.value_types[1].unit) == "count");
  CHECK(p.str(p.value_types[2].type) == "weight");
  CHECK(p.value_types[2].scale == 1);
  CHECK(p.default_value_index() == 0);
  CHECK(total(p, "wall") == 900500);
  CHECK(total(p, "samples") == 7);
  CHECK(total(p, "weight") == 19);
  // 3 span stacks + 5 sampled rows (two samples share memmove's stack and labels).
  CHECK(p.samples().size() == 8);
  const std::string memmove =
      "__libc_start_main;ChromeMain;base::RunLoop::Run;base::TaskAnnotator::RunTask;"
      "blink::HTMLDocumentParser::ResumeParsingAfterYield;"
      "blink::HTMLDocumentParser::PumpTokenizer;__memmove_avx_unaligned_erms";
  CHECK(value_at(p, memmove, "samples") == 2);
  CHECK(value_at(p, memmove, "weight") == 6);
  CHECK(value_at(p, memmove, "wall") == 0);
  CHECK(value_at(p, "ThreadControllerImpl::RunTask;ParseHTML", "samples") == 0);
  CHECK(value_at(p, "ThreadControllerImpl::RunTask;ParseHTML", "wall") == 300125);
  CHECK(value_at(p, "__libc_start_main;ChromeMain;base::RunLoop::Run", "weight") == 2);
  // Samples reach 2000.5 us, spans start at 1000 us.
  CHECK(p.meta.duration_ns == 1000500);
  CHECK(p.warnings.empty());
}

TEST_CASE("samples only: no wall time, labels pid/tid/event, default is the weight") {
  Profile p = read_trace(R"({"traceEvents": [],
    "samples": [{"cpu": 0, "tid": 1, "pid": 2, "ts": 1000.5, "name": "cycles", "sf": 11, "weight": 3},
                {"cpu": 1, "tid": "io", "pid": 2, "ts": 1001, "name": "cycles", "sf": "11", "weight": 0.5}],
    "stackFrames": {"11": {"category": "app", "name": "leaf", "parent": "10"},
                    "10": {"category": "app", "name": "root"}}})");
  REQUIRE(p.value_types.size() == 3);
  CHECK(total(p, "wall") == 0);
  CHECK(total(p, "samples") == 2);
  // A fractional weight keeps every weight exact at scale 10^6.
  CHECK(p.value_types[2].scale == 1'000'000);
  CHECK(total(p, "weight") == 3'500'000);
  CHECK(p.str(p.value_types[p.default_value_index()].type) == "weight");
  CHECK(p.meta.duration_ns == 500);
  REQUIRE(p.samples().size() == 2);  // different tid labels: two rows
  const Sample& s = p.samples()[1];
  CHECK(stack_text(p, s.stack) == "root;leaf");
  REQUIRE(s.label_count == 3);
  const Label& tid = p.labels()[s.label_begin + 1];
  CHECK(p.str(tid.key) == "tid");
  CHECK(p.str(tid.str) == "io");
  const Label& pid = p.labels()[s.label_begin];
  CHECK(p.str(pid.key) == "pid");
  CHECK(pid.num == 2);
  CHECK(p.str(p.labels()[s.label_begin + 2].str) == "cycles");
}

TEST_CASE("bad sf, missing sf, bad frames, missing parents: counted, never silent") {
  Profile p = read_trace(R"({"traceEvents": [],
    "stackFrames": {"1": {"name": "main"}, "2": "not a frame", "3": {"name": "orphan", "parent": "99"},
                    "4": {"parent": "1"}, "5": {"name": "odd", "parent": true}, "1": {"name": "main"}},
    "samples": [{"sf": "1", "ts": 1}, {"sf": "nowhere", "ts": 2}, {"ts": 3}, {"sf": "2", "ts": 4},
                {"sf": "3", "ts": 5}, {"sf": "4", "ts": "x"}, {"sf": "5", "ts": 6}, 7,
                {"sf": "1", "ts": 7, "weight": "heavy"}]})");
  CHECK(total(p, "samples") == 5);  // sf 1 (twice), 3, 4, 5
  CHECK(total(p, "weight") == 5);   // the bad weight counts as 1
  CHECK(warned(p, "samples whose sf names no stack frame") == 2);  // "nowhere" and the non-frame "2"
  CHECK(warned(p, "samples without an sf") == 1);
  CHECK(warned(p, "stackFrames entries that are not objects") == 1);
  CHECK(warned(p, "parent names no frame") == 1);
  CHECK(warned(p, "without a string name") == 1);
  CHECK(warned(p, "parent is not a string or number") == 1);
  CHECK(warned(p, "ids given twice") == 1);
  CHECK(warned(p, "samples that are not objects") == 1);
  CHECK(warned(p, "unreadable ts") == 1);
  CHECK(warned(p, "weight that is not a number") == 1);
  CHECK(value_at(p, "orphan", "samples") == 1);
  CHECK(value_at(p, "main;[frame 4]", "samples") == 1);
  CHECK(warned(p, "ignored") == 0);
}

TEST_CASE("a loop of parents is cut where it closes") {
  Profile p = read_trace(R"({"traceEvents": [],
    "stackFrames": {"a": {"name": "A", "parent": "c"}, "b": {"name": "B", "parent": "a"},
                    "c": {"name": "C", "parent": "b"}, "self": {"name": "S", "parent": "self"}},
    "samples": [{"sf": "a", "ts": 1}, {"sf": "b", "ts": 2}, {"sf": "self", "ts": 3}]})");
  CHECK(warned(p, "loops in stack frame parents") == 2);
  // Walking up from a: a -> c -> b -> (a again): b becomes the root.
  CHECK(value_at(p, "B;C;A", "samples") == 1);
  CHECK(value_at(p, "B", "samples") == 1);
  CHECK(value_at(p, "S", "samples") == 1);
}

TEST_CASE("malformed members are input errors with a byte offset") {
  CHECK_THROWS_WITH_AS(read_trace(R"({"traceEvents": [], "samples": {"sf": 1}})"),
                       doctest::Contains("byte 31: samples is not an array"), InputError);
  CHECK_THROWS_WITH_AS(read_trace(R"({"traceEvents": [], "stackFrames": [1]})"),
                       doctest::Contains("byte 35: stackFrames is not an object"), InputError);
  // A bad escape in an sf string: the sample starts at byte 32.
  CHECK_THROWS_WITH_AS(read_trace(R"({"traceEvents": [], "samples": [{"sf": "\q", "ts": 1}]})"),
                       doctest::Contains("byte 32: samples: bad sample"), InputError);
  // An unreadable ts alone is not malformed JSON to us (ts is read as text): counted.
  Profile p = read_trace(R"({"traceEvents": [], "stackFrames": {"1": {"name": "m"}},
                             "samples": [{"sf": 1, "ts": tru}]})");
  CHECK(warned(p, "unreadable ts") == 1);
}

TEST_CASE("a 1,000,000-deep parent chain, frames listed leaf first") {
  constexpr int kDepth = 1'000'000;
  std::string text = R"({"traceEvents": [], "stackFrames": {)";
  text.reserve(static_cast<size_t>(kDepth) * 40);
  for (int i = kDepth - 1; i >= 0; --i) {
    text += '"' + std::to_string(i) + R"(": {"name": "f)" + std::to_string(i % 7) + '"';
    if (i > 0) text += R"(, "parent": )" + std::to_string(i - 1);
    text += i > 0 ? "}, " : "}";
  }
  text += R"(}, "samples": [{"sf": ")" + std::to_string(kDepth - 1) + R"(", "ts": 1},
                            {"sf": 500000, "ts": 2}]})";
  Profile p = read_trace(text);
  CHECK(p.warnings.empty());
  CHECK(total(p, "samples") == 2);
  REQUIRE(p.samples().size() == 2);
  CHECK(p.stacks()[p.samples()[0].stack].depth == kDepth);
  CHECK(p.stacks()[p.samples()[1].stack].depth == 500001);
  // The shallower sample's stack is a prefix of the deeper one: one trie path.
  CHECK(p.stacks().size() == kDepth + 1);
}
