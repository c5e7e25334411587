// Folded stacks: the reader (single and differential forms, decimal counts, errors) and the
// writer (sorted, merged, sanitized; round trips through the reader).
#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>

#include "formats/folded/folded_writer.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/summary.h"

using namespace perfkit;

namespace {

InputBuffer folded_buffer(const std::string& path, std::string_view text) {
  InputBuffer b(text.size());
  memcpy(b.data(), text.data(), text.size());
  b.path = path;
  return b;
}

Profile read_folded_text(std::string_view text, const std::string& path = "f.folded") {
  return read_profile(folded_buffer(path, text), ReadOptions{});
}

Profile read_folded_file(const std::string& name) {
  return read_profile(std::string(PERFKIT_SOURCE_DIR) + "/testdata/folded/" + name, ReadOptions{});
}

// stack text -> summed value of one value type, as the model holds them (scaled units).
std::map<std::string, int64_t> stack_weights(const Profile& p, size_t vi = 0) {
  std::map<std::string, int64_t> out;
  for (size_t i = 0; i < p.samples().size(); ++i) {
    std::string text;
    for (FrameId f : p.stack_frames(p.samples()[i].stack)) {
      if (!text.empty()) text += ';';
      text += p.str(p.frames()[f].function);
    }
    out[text] += p.value(i, vi);
  }
  return out;
}

int64_t total(const Profile& p, size_t vi = 0) {
  int64_t t = 0;
  for (size_t i = 0; i < p.samples().size(); ++i) t += p.value(i, vi);
  return t;
}

}  // namespace

TEST_CASE("folded: a small file with known totals") {
  Profile p = read_folded_file("small.folded");
  CHECK(p.format == "folded");
  CHECK(p.flavor.empty());
  REQUIRE(p.value_types.size() == 1);
  CHECK(p.str(p.value_types[0].type) == "samples");
  CHECK(p.str(p.value_types[0].unit) == "count");
  CHECK(p.value_types[0].scale == 1);
  CHECK(p.samples().size() == 4);
  CHECK(total(p) == 21);
  ProfileSummary s = summarize(p);
  CHECK(s.stacks == 3);  // main;parse;lex appears twice
  CHECK(s.max_depth == 3);
  auto w = stack_weights(p);
  CHECK(w["main;parse;lex"] == 17);
  CHECK(w["main;parse"] == 3);
  CHECK(w["worker;my f(int, char);x y"] == 1);  // frames may hold spaces
  for (const Frame& f : p.frames()) {
    CHECK(f.file == 0);
    CHECK(f.line == 0);
  }
}

TEST_CASE("folded: decimal counts are kept exactly in millionths") {
  Profile p = read_folded_file("fractional.folded");
  REQUIRE(p.value_types.size() == 1);
  CHECK(p.value_types[0].scale == 1000000);
  auto w = stack_weights(p);
  CHECK(w["main;a"] == 500000);
  CHECK(w["main;b"] == 2000000);  // read before the first decimal: rescaled
  CHECK(w["main;a;c"] == 1250000);
  CHECK(total(p) == 3750000);

  Profile q = read_folded_text("a 2\nb 0.1\nc 3\n");
  CHECK(q.value_types[0].scale == 1000000);
  CHECK(stack_weights(q)["a"] == 2000000);
  CHECK(stack_weights(q)["c"] == 3000000);
  Profile r = read_folded_text("a 0.00000051\n");
  CHECK(stack_weights(r)["a"] == 1);
  REQUIRE(!r.warnings.empty());
  CHECK(r.warnings[0].what.find("rounded") != std::string::npos);
}

TEST_CASE("folded: the two-count differential form") {
  Profile p = read_folded_file("diff.folded");
  CHECK(p.flavor == "folded-diff");
  REQUIRE(p.value_types.size() == 2);
  CHECK(p.str(p.value_types[0].type) == "base");
  CHECK(p.str(p.value_types[1].type) == "new");
  CHECK(total(p, 0) == 200);
  CHECK(total(p, 1) == 200);
  CHECK(stack_weights(p, 1)["main;a;x"] == 50);
  CHECK(stack_weights(p, 0)["main;a;x"] == 0);
  // the first data lines (up to 20) decide; a later one-count line is an error
  std::string many;
  for (int i = 0; i < 25; ++i) many += "a;b" + std::to_string(i) + " 1 2\n";
  CHECK_THROWS_WITH_AS(read_folded_text(many + "a;c 3\n"), doctest::Contains("f.folded:26:"),
                       InputError);
  // a leaf named like a count ("sleep 5") does not flip a single-count file
  Profile single = read_folded_text("main;sleep 5 12\nmain;run 3\n");
  CHECK(single.flavor.empty());
  CHECK(stack_weights(single)["main;sleep 5"] == 12);
  Profile frac = read_folded_text("a;b 1 2.5\n");
  CHECK(frac.value_types[0].scale == 1000000);
  CHECK(frac.value_types[1].scale == 1000000);
  CHECK(stack_weights(frac, 0)["a;b"] == 1000000);
  CHECK(stack_weights(frac, 1)["a;b"] == 2500000);
}

TEST_CASE("folded: bad lines give line and column") {
  CHECK_THROWS_WITH_AS(read_folded_file("bad_empty_frame.folded"),
                       doctest::Contains("bad_empty_frame.folded:2:6: empty frame"), InputError);
  CHECK_THROWS_WITH_AS(read_folded_file("bad_no_count.folded"),
                       doctest::Contains("bad_no_count.folded:2:7: expected"), InputError);
  CHECK_THROWS_WITH_AS(read_folded_text("a;b 1\na;b x2\n"), "f.folded:2:5: expected a count (like "
                                                            "12 or 2.5) at the end of the line, got 'x2'",
                       InputError);
  CHECK_THROWS_WITH_AS(read_folded_text("a;b 1\n;b 2\n"), doctest::Contains("f.folded:2:1: empty"),
                       InputError);
  CHECK_THROWS_WITH_AS(read_folded_text("a;b 1\na;b; 2\n"), doctest::Contains("f.folded:2:5: empty"),
                       InputError);
  CHECK_THROWS_WITH_AS(read_folded_text("a;b 1\na;b 99999999999999999999\n"),
                       doctest::Contains("f.folded:2:5: count too large"), InputError);
}

TEST_CASE("folded: comments, blank lines, CRLF, perf annotations") {
  Profile p = read_folded_text("# header\r\n\r\nmain;schedule_[k] 4\r\n  \nmain;x_[j] 1 \n");
  CHECK(p.samples().size() == 2);
  auto w = stack_weights(p);
  CHECK(w["main;schedule_[k]"] == 4);
  CHECK(w["main;x_[j]"] == 1);
}

TEST_CASE("folded probe") {
  CHECK(probe_folded("main;a;b 12\nmain;c 3\n") == Probe::kYes);
  CHECK(probe_folded("# c\n\nmain;a 1.5\n") == Probe::kYes);
  CHECK(probe_folded("main 12\nother 3\n") == Probe::kMaybe);
  CHECK(probe_folded("[{\"ph\":\"X\"}]\n") == Probe::kNo);
  CHECK(probe_folded("{\"ph\":\"X\",\"ts\":1}\n") == Probe::kNo);
  CHECK(probe_folded("hello world\n") == Probe::kNo);
  CHECK(probe_folded("") == Probe::kNo);
  CHECK(probe_folded(std::string("\x0a\x04main\x12\x03", 8)) == Probe::kNo);
}

TEST_CASE("folded probe: a first line past 1 MiB (a deep stack) is still folded") {
  std::string deep;
  for (int i = 0; deep.size() < (3u << 20); ++i) deep += "frame_" + std::to_string(i) + ";";
  deep += "leaf 7\n";
  CHECK(probe_folded(deep) == Probe::kYes);
  CHECK(probe_folded(deep + "main;a 1\n") == Probe::kYes);
  CHECK(probe_folded("# header\n" + deep) == Probe::kYes);
  // Long lines that are not stacks stay refused: JSON, binary, no count at the end.
  CHECK(probe_folded("[" + deep) == Probe::kNo);
  CHECK(probe_folded("  {" + deep) == Probe::kNo);
  CHECK(probe_folded(deep.substr(0, deep.size() - 3) + "\n") == Probe::kNo);
  std::string binary = deep;
  binary[100] = '\x01';
  CHECK(probe_folded(binary) == Probe::kNo);
  binary = deep;
  binary[(2u << 20)] = '\x02';  // past the first MiB: the full-line check still sees it
  CHECK(probe_folded(binary) == Probe::kNo);
}

TEST_CASE("folded writer: sorted, merged, deterministic, round trip") {
  Profile p = read_folded_text("b;c 2\na;b 3\na;b;c 5\na;b 1\n");
  std::string out = write_folded(p, -1);
  CHECK(out == "a;b 4\na;b;c 5\nb;c 2\n");
  CHECK(write_folded(p, 0) == out);
  Profile back = read_folded_text(out);
  CHECK(stack_weights(back) == stack_weights(p));
  CHECK_THROWS_AS(write_folded(p, 3), UsageError);
}

TEST_CASE("folded writer: random profile round trip") {
  std::mt19937 rng(7);
  std::string text;
  const char* names[] = {"main", "run", "parse json", "lex", "std::vector<int>::push_back",
                         "alloc", "free", "x_[k]"};
  for (int i = 0; i < 2000; ++i) {
    int depth = 1 + static_cast<int>(rng() % 12);
    for (int d = 0; d < depth; ++d) {
      if (d) text += ';';
      text += names[rng() % 8];
    }
    text += ' ' + std::to_string(1 + rng() % 1000) + '\n';
  }
  Profile p = read_folded_text(text);
  std::string out = write_folded(p, 0);
  Profile back = read_folded_text(out);
  CHECK(stack_weights(back) == stack_weights(p));
  CHECK(total(back) == total(p));
  CHECK(write_folded(back, 0) == out);  // a fixed point
}

TEST_CASE("folded writer: names are sanitized, scaled values rounded with a note") {
  Profile p;
  p.value_types.push_back({p.strings.intern("cpu"), p.strings.intern("nanoseconds"), 1});
  FrameId a = p.intern_frame({p.strings.intern("java/lang/String;foo"), 0, 0, false});
  FrameId b = p.intern_frame({p.strings.intern("line\nbreak\t"), 0, 0, false});
  FrameId c = p.intern_frame({0, p.strings.intern("x.go"), 12, false});
  int64_t v = 5;
  p.add_sample(p.child(p.child(kEmptyStack, a), b), &v);
  p.add_sample(p.child(kEmptyStack, c), &v);
  std::string note = "stale";
  CHECK(write_folded(p, 0, &note) == "java/lang/String:foo;line?break? 5\nx.go:12 5\n");
  CHECK(note.empty());

  Profile f = read_folded_text("a 0.4\nb 1.5\nc 2.25\n");
  std::string out = write_folded(f, 0, &note);
  CHECK(out == "b 2\nc 2\n");
  CHECK(note.find("rounded") != std::string::npos);
  CHECK(note.find("round to 0") != std::string::npos);
}

TEST_CASE("folded diff writer: union of stacks, normalize") {
  Profile base = read_folded_text("a 10\nb 5\n", "base.folded");
  Profile neu = read_folded_text("a 20\nc 10\n", "new.folded");
  CHECK(write_folded_diff(base, neu, 0, false) == "a 10 20\nb 5 0\nc 0 10\n");
  std::string note;
  CHECK(write_folded_diff(base, neu, 0, true, &note) == "a 20 20\nb 10 0\nc 0 10\n");
  CHECK(note.find("normalized") != std::string::npos);
  Profile d = read_folded_text(write_folded_diff(base, neu, -1, false));
  CHECK(d.flavor == "folded-diff");
  CHECK(total(d, 0) == 15);
  CHECK(total(d, 1) == 30);
  Profile other;
  other.value_types.push_back({other.strings.intern("cpu"), other.strings.intern("ns"), 1});
  CHECK_THROWS_AS(write_folded_diff(base, other, 0, false), InputError);
}

TEST_CASE("folded and table readers: mutated inputs read or fail with InputError, never crash") {
  // The replayable core of a fuzz run (100k mutations under ASan/UBSan found nothing).
  std::mt19937 rng(11);
  const char alphabet[] = ";; \n\n..0123456789/:(){}\r\t\0xna#";
  const std::string bases[] = {"main;parse;lex 12\nmain;parse 3\nmain;a 1.5\n", "a;b 1 2\na;c 0 3\n",
                               "name  ncall  tsub  ttot  tavg\nx.py:1 f  17/2  0.5  1.25  0.1\n"};
  for (const std::string& base : bases) {
    for (int it = 0; it < 1500; ++it) {
      std::string s = base;
      for (int k = 0, n = 1 + static_cast<int>(rng() % 6); k < n && !s.empty(); ++k) {
        size_t pos = rng() % s.size();
        char c = alphabet[rng() % (sizeof(alphabet) - 1)];
        if (rng() % 2) s[pos] = c;
        else s.insert(pos, 1, c);
      }
      for (const char* format : {"folded", "table"}) {
        ReadOptions o;
        o.input_format = format;
        try {
          Profile p = read_profile(folded_buffer("m", s), o);
          (void)write_folded(p, -1);
        } catch (const InputError&) {
        }
      }
    }
  }
}

TEST_CASE("folded writer: lines in bytewise order where names are prefixes of each other") {
  // A name followed by ';' sorts after a longer name whose next byte is below ';' (space, '(',
  // '.', digits, ':'), and before one whose next byte is above it; a line's end sorts first.
  const std::vector<std::string> stacks = {"a;x",    "a b",  "a",     "a:b;c", "a;b;c",   "ab",
                                           "a(1);z", "a1;q", "a;b",   "a.b",   "a;b 2;k", "b",
                                           "a;b2",   "a;b;", "z;a b", "z;a;b", "z;a",     "a~;b"};
  std::string text;
  int n = 0;
  for (const auto& s : stacks)
    if (s.back() != ';') text += s + " " + std::to_string(++n) + "\n";
  Profile p = read_folded_text(text);
  std::string out = write_folded(p, 0);
  std::vector<std::string> want;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    want.push_back(text.substr(pos, end - pos + 1));
    pos = end + 1;
  }
  std::sort(want.begin(), want.end(), [](const std::string& a, const std::string& b) {
    return a.substr(0, a.rfind(' ')) < b.substr(0, b.rfind(' '));
  });
  std::string joined;
  for (const auto& w : want) joined += w;
  CHECK(out == joined);
}

TEST_CASE("folded writer: deep random stack lists with prefix names, as bytewise-sorted lines") {
  // Stacks given as deferred lists (the pprof reader's form), deep enough that lines share long
  // prefixes and names that are prefixes of each other meet at every depth: the output is the
  // lines' texts summed and sorted bytewise, whatever the sort compares per pass.
  const std::vector<std::string> names = {"a",  "a b", "a;b", "ab", "a(1)", "a.b", "b",
                                          "a~", "a\xc3\xa9", "", "a\tb", "aa", "a b c"};
  std::mt19937 rng(11);
  for (int round = 0; round < 20; ++round) {
    Profile p;
    p.path = "lists";
    p.value_types.push_back(ValueType{p.strings.intern("samples"), p.strings.intern("count")});
    std::vector<FrameId> frames;
    for (const auto& n : names) {
      Frame f;
      f.function = p.strings.intern(n);
      if (n.empty()) f.file = p.strings.intern("f.go"), f.line = 3;
      frames.push_back(p.intern_frame(f));
    }
    std::map<std::string, int64_t> want;
    std::vector<FrameId> base;  // a shared root path, so that neighbours share long prefixes
    for (int d = 0; d < 9; ++d) base.push_back(frames[rng() % frames.size()]);
    for (int s = 0; s < 400; ++s) {
      std::vector<FrameId> st(base.begin(), base.begin() + static_cast<long>(rng() % base.size()));
      const size_t depth = 1 + rng() % (round < 10 ? 6 : 30);
      for (size_t d = 0; d < depth; ++d) st.push_back(frames[rng() % (round % 3 ? 4 : frames.size())]);
      const uint32_t list = p.add_stack_list(st.data(), st.size());
      const int64_t w = 1 + static_cast<int64_t>(rng() % 50);
      p.add_list_sample(list, &w);
      std::string line;
      for (size_t d = 0; d < st.size(); ++d) {
        std::string t(p.str(p.frames()[st[d]].function));
        if (t.empty()) t = "f.go:3";
        for (char& c : t)
          if (c == ';') c = ':';
          else if (static_cast<unsigned char>(c) < 0x20) c = '?';
        line += (d ? ";" : "") + t;
      }
      want[line] += w;
    }
    REQUIRE(p.has_deferred_stacks());
    std::string joined;
    for (const auto& [line, w] : want) joined += line + " " + std::to_string(w) + "\n";
    CHECK(write_folded(p, 0) == joined);
  }
}
