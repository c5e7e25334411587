// pprof reader: the corpus against libprotobuf and go tool pprof's outputs, hand-made wire bytes
// for every decoding rule, and bad inputs that must fail cleanly.
#include <doctest/doctest.h>

#include <random>

#include "lib/errors.h"
#include "tests/pprof_test_util.h"

using namespace perfkit;
using namespace perfkit::testing;

namespace {

const char* const kCorpus[] = {"go_cpu_base", "go_cpu_slow_regex", "go_heap"};

std::string corpus_path(const std::string& name) {
  return source_path("testdata/pprof/" + name + ".pb.gz");
}

// The error text of reading bytes, or "" when they read fine.
std::string read_error(std::string_view bytes) {
  try {
    read_pprof_bytes(bytes);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// -- a small hand-made profile: strings, 2 value types, 4 functions, an inlined location --

enum class Packing { kPacked, kUnpacked, kMixed };

const std::vector<std::string> kStrings = {"",       "samples", "count",    "cpu",      "nanoseconds",
                                           "main",   "main.go", "foo",      "foo.go",   "inl",
                                           "bar",    "endpoint", "/api",    "bytes",    "a comment"};

Pb repeated(Packing pk, uint32_t field, const std::vector<uint64_t>& vs, Pb m = {}) {
  if (pk == Packing::kPacked) return m.packed(field, vs);
  if (pk == Packing::kUnpacked) return m.unpacked(field, vs);
  m.packed(field, {vs.front()});  // mixed: a packed run, then the rest one by one
  return m.unpacked(field, std::vector<uint64_t>(vs.begin() + 1, vs.end()));
}

Pb line(uint64_t fn, uint64_t ln) { return Pb().num(1, fn).num(2, ln); }
Pb function(uint64_t id, uint64_t name, uint64_t file) {
  return Pb().num(1, id).num(2, name).num(4, file);
}

Pb tiny_profile(Packing pk) {
  Pb p;
  p.msg(1, Pb().num(1, 1).num(2, 2)).msg(1, Pb().num(1, 3).num(2, 4));
  Pb s1 = repeated(pk, 1, {3, 2, 1});
  s1 = repeated(pk, 2, {1, 10000000}, s1);
  s1.msg(3, Pb().num(1, 11).num(2, 12));
  Pb s2 = repeated(pk, 1, {2, 1});
  s2 = repeated(pk, 2, {2, 20000000}, s2);
  s2.msg(3, Pb().num(1, 13).num(3, 64).num(4, 13));
  Pb s3 = repeated(pk, 1, {1, 1});
  s3 = repeated(pk, 2, {0, 0}, s3);
  p.msg(2, s1).msg(2, s2).msg(2, s3);
  p.msg(4, Pb().num(1, 1).msg(4, line(1, 10)));
  p.msg(4, Pb().num(1, 2).msg(4, line(3, 31)).msg(4, line(2, 20)));
  p.msg(4, Pb().num(1, 3).msg(4, line(4, 40)));
  p.msg(5, function(1, 5, 6)).msg(5, function(2, 7, 8)).msg(5, function(3, 9, 8));
  p.msg(5, function(4, 10, 8));
  for (const auto& s : kStrings) p.bytes(6, s);
  p.num(9, 1000).num(10, 2000).msg(11, Pb().num(1, 3).num(2, 4)).num(12, 10000000);
  return repeated(pk, 13, {14, 14}, p);
}

const char* const kTinyDump =
    "type samples/count\n"
    "type cpu/nanoseconds\n"
    "time 1000 duration 2000 period 10000000 cpu/nanoseconds\n"
    "comment a comment\n"
    "comment a comment\n"
    "drop '' keep '' default '' doc ''\n"
    "1 10000000 | endpoint=/api | ; main main.go:10 ; foo foo.go:20 ; inl foo.go:31 (inline) ; "
    "bar foo.go:40\n"
    "2 20000000 | bytes=64bytes | ; main main.go:10 ; foo foo.go:20 ; inl foo.go:31 (inline)\n"
    "0 0 | | ; main main.go:10 ; main main.go:10\n";

// The same profile through libprotobuf's serializer.
std::string tiny_profile_libprotobuf() {
  perftools::profiles::Profile pb;
  pb.ParseFromString(tiny_profile(Packing::kUnpacked).b);
  std::string out;
  pb.SerializeToString(&out);
  return out;
}

}  // namespace

TEST_CASE("pprof: packed, unpacked and mixed repeated fields read the same") {
  std::string packed = dump(read_pprof_bytes(tiny_profile(Packing::kPacked).b));
  CHECK(packed == kTinyDump);
  CHECK(dump(read_pprof_bytes(tiny_profile(Packing::kUnpacked).b)) == packed);
  CHECK(dump(read_pprof_bytes(tiny_profile(Packing::kMixed).b)) == packed);
  CHECK(dump(read_pprof_bytes(tiny_profile_libprotobuf())) == packed);
}

TEST_CASE("pprof: unknown fields of every wire type are skipped") {
  Pb p = tiny_profile(Packing::kPacked);
  p.num(20, 5).bytes(21, "xyz").tag(22, 1).b += std::string(8, '\1');
  p.tag(23, 5).b += std::string(4, '\2');
  CHECK(dump(read_pprof_bytes(p.b)) == kTinyDump);
}

TEST_CASE("pprof: flavor says whether the bytes were gzipped") {
  Profile raw = read_pprof_bytes(tiny_profile(Packing::kPacked).b);
  CHECK(raw.format == "pprof");
  CHECK(raw.flavor == "pprof-raw");
  Profile gz = read_pprof_bytes(file_bytes(corpus_path("go_heap")));
  CHECK(gz.flavor == "pprof");
}

TEST_CASE("pprof: labels follow pprof's classification") {
  Pb p = tiny_profile(Packing::kPacked);
  // Labels: a string label with a stray num (string wins), a numeric 0 without unit (dropped),
  // a numeric 0 with a unit (kept).
  Pb s = Pb().packed(1, {1}).packed(2, {1, 1});
  s.msg(3, Pb().num(1, 11).num(2, 12).num(3, 5));
  s.msg(3, Pb().num(1, 13).num(3, 0));
  s.msg(3, Pb().num(1, 13).num(4, 13));
  p.msg(2, s);
  Profile prof = read_pprof_bytes(p.b);
  REQUIRE(prof.samples().size() == 4);
  CHECK(sample_lines(prof)[3] == "1 1 | endpoint=/api bytes=0bytes | ; main main.go:10");
}

TEST_CASE("pprof: default_sample_type picks the column, else the last one") {
  Profile plain = read_pprof_bytes(tiny_profile(Packing::kPacked).b);
  CHECK(plain.default_value_index() == 1);
  Pb p = tiny_profile(Packing::kPacked);
  p.num(14, 1);  // "samples"
  Profile chosen = read_pprof_bytes(p.b);
  CHECK(chosen.str(chosen.meta.default_sample_type) == "samples");
  CHECK(chosen.default_value_index() == 0);
}

TEST_CASE("pprof: decoding errors name the byte") {
  const std::string base = tiny_profile(Packing::kPacked).b;
  auto with = [&](const Pb& extra) { return read_error(base + extra.b); };

  // Function name index 99: the name field's tag is 4 bytes into the appended message.
  std::string e = with(Pb().msg(5, function(5, 99, 0)));
  CHECK(e.find(fmt::format("mem.pb: byte {}: function.name refers to string 99", base.size() + 4)) !=
        std::string::npos);
  CHECK(with(Pb().msg(1, Pb().num(1, 1).num(2, 500))).find("sample_type refers to string 500") !=
        std::string::npos);
  CHECK(with(Pb().msg(2, Pb().packed(1, {1}).packed(2, {1, 1}).msg(3, Pb().num(1, 77))))
            .find("label.key refers to string 77") != std::string::npos);
  CHECK(with(Pb().num(13, 1234)).find("comment refers to string 1234") != std::string::npos);
  CHECK(with(Pb().num(7, 4321)).find("drop_frames refers") != std::string::npos);

  CHECK(with(Pb().msg(4, Pb().num(1, 9).msg(4, line(77, 1)))).find("function id 77") !=
        std::string::npos);
  // A line with function id 0 is a line without a function, as pprof reads it: no error.
  CHECK(with(Pb().msg(4, Pb().num(1, 9).msg(4, line(0, 1)))).find("function id 0") ==
        std::string::npos);
  CHECK(with(Pb().msg(2, Pb().packed(1, {42}).packed(2, {1, 1}))).find("location id 42") !=
        std::string::npos);
  CHECK(with(Pb().msg(2, Pb().packed(1, {1}).packed(2, {1}))).find("1 values but the profile has 2") !=
        std::string::npos);
  CHECK(with(Pb().msg(5, function(1, 5, 6))).find("two functions with the same id 1") !=
        std::string::npos);
  CHECK(with(Pb().msg(4, Pb().num(1, 0))).find("location with the reserved id 0") !=
        std::string::npos);
  CHECK(with(Pb().msg(3, Pb().num(1, 0))).find("mapping with the reserved id 0") !=
        std::string::npos);
  CHECK(with(Pb().tag(20, 3)).find(fmt::format("byte {}: unsupported protobuf wire type 3",
                                               base.size())) != std::string::npos);
  Pb long_varint;
  long_varint.tag(20, 0).b += std::string(11, '\x80');
  CHECK(with(long_varint).find("varint longer than 10 bytes") != std::string::npos);
  CHECK(with(Pb().tag(2, 2).varint(1000)).find("runs past the end") != std::string::npos);
  CHECK(with(Pb().bytes(9, "x")).find("time_nanos has wire type 2") != std::string::npos);

  CHECK(read_error(Pb().bytes(6, "x").bytes(6, "").b).find("string_table[0] must be the empty") !=
        std::string::npos);
  CHECK(read_error(Pb().num(9, 5).b).find("no string table") != std::string::npos);
  CHECK(read_error(Pb().msg(2, Pb().packed(2, {1})).bytes(6, "").b)
            .find("samples but no sample_type") != std::string::npos);
  CHECK(read_error("").find("empty input") != std::string::npos);
}

TEST_CASE("pprof: two concatenated profiles are an error, as in pprof") {
  std::string one = inflate(file_bytes(corpus_path("go_cpu_base")));
  std::string e = read_error(one + one);
  CHECK(e.find("concatenated profiles detected") != std::string::npos);
  CHECK(e.find("byte ") != std::string::npos);
  std::string tiny = tiny_profile(Packing::kPacked).b;
  CHECK(read_error(tiny + tiny).find("concatenated") != std::string::npos);
}

TEST_CASE("pprof: cut or damaged bytes fail cleanly, never crash") {
  std::string raw = inflate(file_bytes(corpus_path("go_heap")));
  int failed = 0, read = 0;
  for (size_t len = 0; len < raw.size(); len += (len < 2000 || len + 300 > raw.size() ? 1 : 7)) {
    try {
      read_pprof_bytes(std::string_view(raw).substr(0, len));
      ++read;
    } catch (const InputError&) {
      ++failed;
    }
  }
  CHECK(failed > 0);
  CHECK(read == 0);  // the string table comes last: no prefix is a whole profile
  CHECK_NOTHROW(read_pprof_bytes(raw));
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string bad = i % 2 ? raw : tiny_profile(Packing::kMixed).b;
    for (int k = 0; k < 1 + i % 4; ++k)
      bad[rng() % bad.size()] = static_cast<char>(rng() & 0xff);
    try {
      read_pprof_bytes(bad);
    } catch (const InputError&) {
    }
  }
}

TEST_CASE("pprof: probe claims protobuf, not text") {
  std::string raw = inflate(file_bytes(corpus_path("go_cpu_base")));
  CHECK(probe_pprof(raw) == Probe::kYes);
  CHECK(probe_pprof(tiny_profile(Packing::kPacked).b) == Probe::kYes);
  CHECK(probe_pprof(Pb().num(9, 5).bytes(6, "").b) == Probe::kYes);
  CHECK(probe_pprof(Pb().num(10, 5).bytes(6, "").b) == Probe::kMaybe);
  CHECK(probe_pprof("main;foo;bar 12\nmain;baz 3\n") == Probe::kNo);
  CHECK(probe_pprof("[{\"ph\":\"X\"}]") == Probe::kNo);
  CHECK(probe_pprof("\nmain;foo 1\n") == Probe::kNo);
  CHECK(probe_pprof("2 samples\n") == Probe::kNo);
  CHECK(probe_pprof("") == Probe::kNo);
  CHECK(probe_pprof(std::string("\x00\x01\x02garbage", 10)) == Probe::kNo);
  // Auto-detection reads a raw (ungzipped) profile.
  Profile p = read_profile(buffer_of(raw, "raw.pb"), ReadOptions{});
  CHECK(p.format == "pprof");
  CHECK(p.flavor == "pprof-raw");
}

// ---- drop_frames / keep_frames ----

namespace {

// Functions: 1 main, 2 foo, 3 malloc(int) (unsimplified name), 4 .internal (PPC dot), 5 foo2.
// Locations: 1 main, 2 foo, 3 malloc, 4 internal, 5 foo2 with malloc inlined into it.
Pb prune_profile(const std::string& drop, const std::string& keep) {
  Pb p;
  p.msg(1, Pb().num(1, 1).num(2, 2));
  auto sample = [&](std::vector<uint64_t> locs) { p.msg(2, Pb().packed(1, locs).packed(2, {1})); };
  sample({4, 3, 2, 1});  // internal <- malloc <- foo <- main
  sample({5, 1});        // foo2 with malloc inlined
  sample({4, 3});        // nothing but matching frames: never pruned
  sample({3, 2, 3, 1});  // malloc first matches from the root after main
  sample({4, 2, 1});
  for (uint64_t i = 1; i <= 4; ++i) p.msg(4, Pb().num(1, i).msg(4, line(i, 0)));
  p.msg(4, Pb().num(1, 5).msg(4, line(3, 0)).msg(4, line(5, 0)));
  const char* names[] = {"main", "foo", "malloc(int)", ".internal", "foo2"};
  for (uint64_t i = 1; i <= 5; ++i) p.msg(5, function(i, 2 + i, 0));
  for (const char* s : {"", "samples", "count"}) p.bytes(6, s);
  for (const char* s : names) p.bytes(6, s);
  p.bytes(6, drop).bytes(6, keep);
  if (!drop.empty()) p.num(7, 8);
  if (!keep.empty()) p.num(8, 9);
  return p;
}

std::vector<std::string> stacks_of(const Profile& p) {
  std::vector<std::string> out;
  for (const Sample& s : p.samples()) {
    std::string t;
    for (FrameId f : p.stack_frames(s.stack))
      t += (t.empty() ? "" : ";") + std::string(p.str(p.frames()[f].function));
    out.push_back(t);
  }
  return out;
}

}  // namespace

TEST_CASE("pprof: drop_frames prunes like pprof") {
  Profile none = read_pprof_bytes(prune_profile("", "").b);
  CHECK(stacks_of(none) == std::vector<std::string>{
                               "main;foo;malloc(int);.internal", "main;foo2;malloc(int)",
                               "malloc(int);.internal", "main;malloc(int);foo;malloc(int)",
                               "main;foo;.internal"});
  Profile dropped = read_pprof_bytes(prune_profile("malloc|internal", "").b);
  CHECK(stacks_of(dropped) == std::vector<std::string>{"main;foo", "main;foo2",
                                                       "malloc(int);.internal", "main",
                                                       "main;foo"});
  CHECK(dropped.warnings.empty());
  Profile kept = read_pprof_bytes(prune_profile("malloc|internal", "internal").b);
  CHECK(stacks_of(kept)[4] == "main;foo;.internal");
  CHECK(stacks_of(kept)[0] == "main;foo");
  // Anchored: "mall" does not match "malloc".
  CHECK(stacks_of(read_pprof_bytes(prune_profile("mall", "").b)) == stacks_of(none));
  Profile bad = read_pprof_bytes(prune_profile("(", "").b);
  CHECK(stacks_of(bad) == stacks_of(none));
  REQUIRE(bad.warnings.size() == 1);
  CHECK(bad.warnings[0].what.find("drop_frames regex '(' does not compile") != std::string::npos);
}

// ---- the corpus, against libprotobuf and go tool pprof ----

TEST_CASE("pprof: corpus profiles match libprotobuf and go tool pprof's totals") {
  struct Expect {
    const char* name;
    std::vector<std::string> types;
    int default_index;
    std::vector<int64_t> totals;  // from expected/*.top.txt ("Total samples = 8.12s", ...)
  };
  const Expect expects[] = {
      {"go_cpu_base", {"samples/count", "cpu/nanoseconds"}, 1, {812, 8120000000}},
      {"go_cpu_slow_regex", {"samples/count", "cpu/nanoseconds"}, 1, {850, 8500000000}},
      {"go_heap",
       {"alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes"},
       3,
       {13200004, 3456061203, 3923, 3155229}},
  };
  for (const Expect& x : expects) {
    CAPTURE(x.name);
    std::string bytes = file_bytes(corpus_path(x.name));
    Profile p = read_pprof_bytes(bytes, x.name);
    perftools::profiles::Profile pb = parse_pb(bytes);
    REQUIRE(p.value_types.size() == x.types.size());
    for (size_t i = 0; i < x.types.size(); ++i) {
      CHECK(fmt::format("{}/{}", p.str(p.value_types[i].type), p.str(p.value_types[i].unit)) ==
            x.types[i]);
      int64_t ours = 0, theirs = 0;
      for (size_t s = 0; s < p.samples().size(); ++s) ours += p.value(s, i);
      for (const auto& s : pb.sample()) theirs += s.value(static_cast<int>(i));
      CHECK(ours == theirs);
      CHECK(ours == x.totals[i]);
    }
    CHECK(p.default_value_index() == x.default_index);
    REQUIRE(p.samples().size() == static_cast<size_t>(pb.sample_size()));
    std::map<uint64_t, int> lines_per_location;
    for (const auto& l : pb.location()) lines_per_location[l.id()] = l.line_size();
    int64_t frames_pb = 0, frames_ours = 0;
    for (const auto& s : pb.sample())
      for (uint64_t id : s.location_id()) frames_pb += lines_per_location[id];
    for (const Sample& s : p.samples()) frames_ours += p.stacks()[s.stack].depth;
    CHECK(frames_ours == frames_pb);
    CHECK(p.meta.time_ns == pb.time_nanos());
    CHECK(p.meta.duration_ns == pb.duration_nanos());
    CHECK(p.meta.period == pb.period());
    CHECK(p.warnings.empty());
  }
  // 3081.28kB as go tool pprof prints the heap's inuse_space total.
  CHECK(fmt::format("{:.2f}kB", 3155229 / 1024.0) == "3081.28kB");
}

namespace {

struct Trace {
  std::string value;                // as printed: "70ms", "0"
  std::vector<std::string> frames;  // leaf first, "(inline)" marked
  int labels = 0;
};

// go tool pprof -traces output: blocks after "-----------+---" lines.
std::vector<Trace> parse_traces(const std::string& text) {
  std::vector<Trace> out;
  std::istringstream in(text);
  std::string l;
  bool started = false;
  while (std::getline(in, l)) {
    if (l.rfind("-----------+", 0) == 0) {
      started = true;
      out.emplace_back();
      continue;
    }
    if (!started || l.size() < 14) continue;
    if (l[10] == ':') {
      ++out.back().labels;
    } else if (l.substr(0, 13).find_first_not_of(' ') == std::string::npos) {
      out.back().frames.push_back(l.substr(13));
    } else {
      size_t v = l.find_first_not_of(' ');
      out.back().value = l.substr(v, 10 - v);
      out.back().frames.push_back(l.substr(13));
    }
  }
  if (!out.empty() && out.back().frames.empty()) out.pop_back();
  return out;
}

int64_t traces_ns(const std::string& v) {
  if (v == "0") return 0;
  double x = std::stod(v);
  return static_cast<int64_t>(x * (v.ends_with("ms") ? 1e6 : v.ends_with("us") ? 1e3 : 1e9) + 0.5);
}

}  // namespace

TEST_CASE("pprof: every sample's stack matches go tool pprof -traces, inlined frames marked") {
  for (const char* name : {"go_cpu_base", "go_heap"}) {
    CAPTURE(name);
    Profile p = read_pprof_bytes(file_bytes(corpus_path(name)), name);
    InputBuffer t = load_input(source_path(std::string("testdata/pprof/expected/") + name +
                                           ".traces.txt.gz"),
                               ReadOptions{});
    std::vector<Trace> traces = parse_traces(std::string(t.view()));
    // -traces prints samples after pprof's merge (profile.Merge, even for one input): samples
    // whose values are all zero dropped, those with the same locations and labels summed, in
    // first-seen order. The reader keeps every sample as it is in the file.
    perftools::profiles::Profile pb = parse_pb(file_bytes(corpus_path(name)));
    size_t vi = p.value_types.size() - 1;
    std::vector<std::string> lines = sample_lines(p);
    std::map<std::string, size_t> merged_index;
    std::vector<size_t> firsts;
    std::vector<int64_t> sums;
    int zero_samples = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      bool zero = true;
      for (size_t v = 0; v < p.value_types.size(); ++v) zero = zero && p.value(i, v) == 0;
      if (zero) {
        ++zero_samples;
        continue;
      }
      std::string key = lines[i].substr(lines[i].find('|'));
      for (uint64_t id : pb.sample(static_cast<int>(i)).location_id()) key += fmt::format(",{}", id);
      auto [it, fresh] = merged_index.try_emplace(key, firsts.size());
      if (fresh) {
        firsts.push_back(i);
        sums.push_back(0);
      }
      sums[it->second] += p.value(i, vi);
    }
    REQUIRE(traces.size() == firsts.size());
    bool cpu = p.str(p.value_types.back().unit) == "nanoseconds";
    int inlined = 0;
    for (size_t m = 0; m < firsts.size(); ++m) {
      size_t i = firsts[m];
      std::vector<FrameId> fs = p.stack_frames(p.samples()[i].stack);
      std::vector<std::string> ours;
      for (size_t k = fs.size(); k-- > 0;) {
        const Frame& f = p.frames()[fs[k]];
        ours.push_back(std::string(p.str(f.function)) + (f.inlined ? " (inline)" : ""));
        inlined += f.inlined;
      }
      CAPTURE(i);
      CHECK(ours == traces[m].frames);
      CHECK(static_cast<int>(p.samples()[i].label_count) == traces[m].labels);
      if (cpu) CHECK(sums[m] == traces_ns(traces[m].value));
    }
    CHECK(inlined > 0);
    CHECK(zero_samples == (std::string(name) == "go_heap" ? 1 : 0));
  }
  // The first sample of go_cpu_base, spelled out.
  Profile p = read_pprof_bytes(file_bytes(corpus_path("go_cpu_base")));
  std::vector<std::string> leaf_first;
  std::vector<FrameId> fs = p.stack_frames(p.samples()[0].stack);
  for (size_t k = fs.size(); k-- > 0;) leaf_first.push_back(frame_text(p, fs[k]));
  REQUIRE(leaf_first.size() == 7);
  CHECK(leaf_first[0].starts_with("compress/flate.(*compressor).deflate "));
  CHECK(leaf_first[2].starts_with("compress/flate.(*Writer).Close "));
  CHECK(leaf_first[2].ends_with(" (inline)"));
  CHECK(!leaf_first[3].ends_with(" (inline)"));
  CHECK(leaf_first[6].starts_with("main.main.func1 "));
  CHECK(p.value(0, 1) == 70000000);
}

TEST_CASE("pprof: sparse ids and unsymbolized locations") {
  // Ids far from 1..N take the hash-map path; a location without lines is named after its
  // mapping's file like pprof's function granularity ("[svc]"), or "<unknown>" without one.
  Pb p;
  p.msg(1, Pb().num(1, 1).num(2, 2));
  p.msg(2, Pb().packed(1, {5000000000ULL, 70, 9000}).packed(2, {3}));
  p.msg(3, Pb().num(1, 42).num(5, 4));
  p.msg(4, Pb().num(1, 9000).num(2, 42).num(3, 0x401000).msg(4, line(123456789, 7)));
  p.msg(4, Pb().num(1, 70).num(2, 42).num(3, 0x402000));
  p.msg(4, Pb().num(1, 5000000000ULL).num(3, 0xbeef));
  p.msg(5, function(123456789, 3, 0));
  for (const char* s : {"", "samples", "count", "main", "/usr/bin/svc"}) p.bytes(6, s);
  Profile prof = read_pprof_bytes(p.b);
  REQUIRE(prof.samples().size() == 1);
  CHECK(sample_lines(prof)[0] == "3 | | ; main :7 ; [svc] :0 ; <unknown> :0");
  const Frame& svc = prof.frames()[prof.stacks()[prof.stacks()[prof.samples()[0].stack].parent].frame];
  CHECK(svc.unsymbolized);
  CHECK(prof.str(svc.mapping) == "/usr/bin/svc");
  CHECK(prof.str(prof.meta.main_file) == "/usr/bin/svc");
  // The same ids twice are still an error on the hash-map path.
  p.msg(4, Pb().num(1, 70));
  CHECK(read_error(p.b).find("two locations with the same id 70") != std::string::npos);
}
