// perf script lines: the header layouts perf prints with and without -F fields, frame lines, and
// stackcollapse-perf.pl's name tidying, rule by rule. The whole-file numbers are checked against
// the script's own output in tests/cli/perf_script.sh.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "formats/perf/perf_script_line.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/input.h"

using namespace perfkit;

namespace {

PerfHeader header(std::string_view line) {
  PerfHeader h;
  REQUIRE(parse_perf_header(line, &h));
  return h;
}

std::vector<std::string> names(std::string_view frame_line, bool java = false) {
  PerfFrameLine f;
  REQUIRE(parse_perf_frame(frame_line, &f));
  std::vector<std::string> out;
  bool skipped = false;
  tidy_perf_frame(f, java, &out, &skipped);
  if (skipped) out.push_back("<skipped>");
  return out;
}

Profile read_text(const std::string& text) {
  InputBuffer in(text.size());
  std::copy(text.begin(), text.end(), in.data());
  in.path = "t.perf";
  ReadOptions o;
  return read_profile(in, o);
}

}  // namespace

TEST_CASE("perf script headers: comm, ids, period and event in each layout") {
  PerfHeader h = header("java 25607 4794564.109216: 1 cycles:");
  CHECK(h.comm == "java");
  CHECK(h.pid_text == "25607");
  CHECK(h.tid_text.empty());
  CHECK(h.event == "cycles");
  CHECK(h.period_text == "1");
  CHECK(h.time_text == "4794564.109216");
  CHECK(h.script_event);

  h = header("V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:");
  CHECK(h.comm == "V8 WorkerThread");
  CHECK(h.pid_text == "24636");
  CHECK(h.tid_text == "25607");
  CHECK(h.period_text == "100");
  CHECK(perf_process_name(h, PerfRoot::kComm) == "V8_WorkerThread");
  CHECK(perf_process_name(h, PerfRoot::kPid) == "V8_WorkerThread-24636");
  CHECK(perf_process_name(h, PerfRoot::kTid) == "V8_WorkerThread-24636/25607");

  h = header("swapper     0 [000] 158665.570607: cpu-clock:");
  CHECK(h.event == "cpu-clock");
  CHECK(h.period_text.empty());
  // Perl's "0" is false: the script takes a tid of 0 for a missing one.
  CHECK(perf_process_name(h, PerfRoot::kTid) == "swapper-?/0");

  h = header("sleep 10086   281.039763:     250000 cpu-clock:pppH: ");
  CHECK(h.event == "cpu-clock:pppH");
  CHECK(h.period_text == "250000");

  // No time field: the script's rule needs a ':' before the event, so it finds none; the
  // reader's own scan still names the event.
  h = header("func_ab 15294 cpu-clock: ");
  CHECK_FALSE(h.script_event);
  CHECK(h.event == "cpu-clock");

  // The comm is the shortest prefix followed by a number: a digit word inside it ends it.
  h = header("Thread 2 worker 1234 1.5: 7 cycles:");
  CHECK(h.comm == "Thread");
  CHECK(h.pid_text == "2");

  // Without -g the sample's frame follows the event on the header line.
  h = header("work 15116   742.170504:    2004008 cpu-clock:      556fbb03e1bb work::fib+0x12 (/w)");
  CHECK_FALSE(h.script_event);
  CHECK(h.event == "cpu-clock");
  CHECK(h.period_text == "2004008");
  CHECK(h.trailing == "556fbb03e1bb work::fib+0x12 (/w)");

  PerfHeader none;
  CHECK_FALSE(parse_perf_header("\t          414b3b fsnotify (/vmlinux)", &none));
  CHECK_FALSE(parse_perf_header("main;foo;bar 12", &none));
}

TEST_CASE("perf script frames: address, symbol with offset, dso") {
  PerfFrameLine f;
  REQUIRE(parse_perf_frame("\t    7f1e2162ad6f StealTask::do_it(GCTaskManager*, unsigned int) (/lib/libjvm.so)", &f));
  CHECK(f.pc == "7f1e2162ad6f");
  CHECK(f.rawfunc == "StealTask::do_it(GCTaskManager*, unsigned int)");
  CHECK(f.dso == "/lib/libjvm.so");
  CHECK_FALSE(parse_perf_frame("  work.cpp:37", &f));
  // An empty symbol: the script's regex names the frame by the blanks before the dso but one.
  REQUIRE(parse_perf_frame("\t    7f1e2215d058  (/lib/libc-2.15.so)", &f));
  CHECK(f.rawfunc == " ");
  CHECK(f.dso == "/lib/libc-2.15.so");
  std::string_view file;
  int64_t line = 0;
  CHECK(parse_perf_srcline("  work.cpp:37", &file, &line));
  CHECK(file == "work.cpp");
  CHECK(line == 37);
  CHECK(parse_perf_srcline("  libc-2.33.so[27b25]", &file, &line));
  CHECK(line == 0);
  CHECK_FALSE(parse_perf_srcline("  not a source line", &file, &line));
}

TEST_CASE("frame names are tidied as stackcollapse-perf.pl tidies them") {
  using V = std::vector<std::string>;
  CHECK(names("  ffffffff8103ce3b native_safe_halt+0x1b ([kernel.kallsyms])") == V{"native_safe_halt"});
  CHECK(names("  7f1e StealTask::do_it(GCTaskManager*, unsigned int) (/lib/libjvm.so)") ==
        V{"StealTask::do_it"});
  CHECK(names("  4a1 net/http.(*Client).Do+0x10 (/bin/go)") == V{"net/http.(*Client).Do"});
  CHECK(names("  1381 (anonymous namespace)::mix+0x7 (/w)") == V{"<skipped>"});
  CHECK(names("  1381 ns::(anonymous namespace)::mix(int) (/w)") == V{"ns::(anonymous namespace)::mix"});
  CHECK(names("  7ffc [unknown] ([unknown])") == V{"[unknown]"});
  CHECK(names("  7ffc [unknown] (/usr/lib/libc.so.6)") == V{"[libc.so.6]"});
  CHECK(names("  13a80b608e0a RegExp:[&<>\\\"\\'] (/tmp/perf-7539.map)") == V{"RegExp:[&<>\\\\]"});
  CHECK(names("  11 a;b (/w)") == V{"a:b"});
  CHECK(names("  11 outer->inner->leaf (/w)") == V{"outer", "inner_[i]", "leaf_[i]"});
  CHECK(names("  11 Lorg/mozilla/Foo;.call(Lx;)V (/tmp/perf-1.map)", true) == V{"org/mozilla/Foo:.call"});
  CHECK(names("  11 Lorg/mozilla/Foo;.call(Lx;)V (/tmp/perf-1.map)", false) == V{"Lorg/mozilla/Foo:.call"});
}

TEST_CASE("perf script records: events as value types, labels, the process as root frame") {
  Profile p = read_text(
      "# cmdline : /usr/bin/perf record -g ./a\n"
      "app 10/11 [000] 1.000000: 5 cycles:\n"
      "\t1 leaf+0x1 (/a)\n"
      "\t2 main+0x2 (/a)\n"
      "\n"
      "app 10/12 [001] 1.500000: 3 page-faults:\n"
      "\t2 main+0x2 (/a)\n"
      "\n"
      "junk that is no record\n");
  CHECK(p.format == "perf");
  REQUIRE(p.value_types.size() == 4);
  CHECK(p.str(p.value_types[0].type) == "cycles_samples");
  CHECK(p.str(p.value_types[1].type) == "cycles");
  CHECK(p.str(p.value_types[3].type) == "page-faults");
  CHECK(p.default_value_index() == 1);
  REQUIRE(p.sample_count() == 2);
  CHECK(p.value(0, 1) == 5);
  CHECK(p.value(0, 3) == 0);
  CHECK(p.value(1, 3) == 3);
  CHECK(p.meta.duration_ns == 500000000);
  std::vector<FrameId> s = p.stack_frames(p.samples()[0].stack);
  REQUIRE(s.size() == 3);
  CHECK(p.str(p.frames()[s[0]].function) == "app");
  CHECK(p.str(p.frames()[s[2]].function) == "leaf");
  const Sample& smp = p.samples()[1];
  REQUIRE(smp.label_count == 3);
  CHECK(p.labels()[smp.label_begin + 2].num == 12);
  bool warned = false;
  for (const auto& w : p.warnings) warned |= w.what.find("line 9") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("perf script errors name the line and column") {
  CHECK_THROWS_WITH(read_text("ab 10 1.0: 99999999999999999999 cycles:\n\t1 f (/a)\n\n"),
                    doctest::Contains("t.perf:1:12: period 99999999999999999999 does not fit"));
}

TEST_CASE("perf script: events past the first 32 are counted and skipped, not value types") {
  std::string text;
  for (int e = 0; e < 40; ++e)
    text += "app 1 1." + std::to_string(e) + ": 2 ev" + std::to_string(e) + ":\n\t1 f (/a)\n\n";
  Profile p = read_text(text);
  CHECK(p.value_types.size() == 64);
  CHECK(p.sample_count() == 32);
  bool warned = false;
  for (const auto& w : p.warnings)
    warned |= w.what.find("past the first 32") != std::string::npos && w.count == 8 &&
              w.what.find("line 97") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("perf script: a last -g record without its blank line is left out, as by the script") {
  Profile p = read_text("app 1 1.0: 2 ev:\n\t1 f (/a)\n\napp 1 2.0: 3 ev:\n\t1 g (/a)\n");
  CHECK(p.sample_count() == 1);
  bool warned = false;
  for (const auto& w : p.warnings) warned |= w.what.find("last sample (line 4)") != std::string::npos;
  CHECK(warned);
  // Without -g no record ends with a blank line: the last one counts.
  Profile flat = read_text("app 1 1.0: 2 ev:  1 f (/a)\napp 1 2.0: 3 ev:  1 g (/a)\n");
  CHECK(flat.sample_count() == 2);
  CHECK(flat.value(1, 1) == 3);
}
