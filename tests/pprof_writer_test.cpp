// pprof writer: round trips through our reader and libprotobuf, determinism, models that did not
// come from pprof, and (when Go is installed) `go tool pprof -top` on what we write.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "formats/pprof/pprof_writer.h"
#include "tests/pprof_test_util.h"

using namespace perfkit;
using namespace perfkit::testing;

namespace {

const char* const kCorpus[] = {"go_cpu_base", "go_cpu_slow_regex", "go_heap"};

std::string corpus_bytes(const std::string& name) {
  return file_bytes(source_path("testdata/pprof/" + name + ".pb.gz"));
}

// Runs a shell command, returns its standard output (and error).
std::string run(const std::string& cmd) {
  std::string out;
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

bool have_go() { return std::system("command -v go >/dev/null 2>&1") == 0; }

// The lines of a pprof -top output from "Type:" on ("File:" names the binary from the mapping,
// which the model does not keep).
std::string top_body(const std::string& text) {
  size_t at = text.find("Type:");
  return at == std::string::npos ? text : text.substr(at);
}

}  // namespace

TEST_CASE("pprof writer: corpus round trip keeps types, metadata, stacks, values and labels") {
  for (const char* name : kCorpus) {
    CAPTURE(name);
    Profile p = read_pprof_bytes(corpus_bytes(name), name);
    std::string written = write_pprof(p);
    CHECK(is_gzip(written));
    Profile q = read_pprof_bytes(written, name);
    CHECK(dump(q) == dump(p));
    CHECK(q.default_value_index() == p.default_value_index());
    // libprotobuf agrees on what we wrote.
    perftools::profiles::Profile pb = parse_pb(written);
    CHECK(static_cast<size_t>(pb.sample_size()) == p.samples().size());
    CHECK(pb.string_table(0).empty());
    // Deterministic, and a fixed point: writing what we read back gives the same bytes.
    CHECK(write_pprof(p) == written);
    CHECK(write_pprof(q) == written);
    CHECK(inflate(written) == write_pprof(p, false));
  }
}

TEST_CASE("pprof writer: a subset of value types") {
  Profile p = read_pprof_bytes(corpus_bytes("go_heap"));
  Profile q = read_pprof_bytes(write_pprof(p, std::vector<int>{1, 3}));
  REQUIRE(q.value_types.size() == 2);
  CHECK(q.str(q.value_types[0].type) == "alloc_space");
  CHECK(q.str(q.value_types[1].type) == "inuse_space");
  REQUIRE(q.samples().size() == p.samples().size());
  for (size_t i = 0; i < p.samples().size(); ++i) {
    CHECK(q.value(i, 0) == p.value(i, 1));
    CHECK(q.value(i, 1) == p.value(i, 3));
  }
  // default_sample_type survives only when its column does.
  Profile r = read_pprof_bytes(corpus_bytes("go_cpu_base"));
  r.meta.default_sample_type = r.strings.intern("samples");
  CHECK(read_pprof_bytes(write_pprof(r, std::vector<int>{0, 1})).default_value_index() == 0);
  CHECK(read_pprof_bytes(write_pprof(r, std::vector<int>{1})).meta.default_sample_type == 0);
}

TEST_CASE("pprof writer: a model built by hand (inlined runs, labels, scaled values)") {
  Profile p;
  p.value_types.push_back({p.strings.intern("samples"), p.strings.intern("count"), 1000});
  auto frame = [&](const char* fn, int64_t line, bool inl) {
    return p.intern_frame({p.strings.intern(fn), p.strings.intern("x.go"), line, inl});
  };
  // An inlined frame at the root (no caller to fold into), a run of two inlined frames below a
  // physical one, and the same frames reached through another path.
  StackId a = p.child(kEmptyStack, frame("root_inl", 1, true));
  StackId b = p.child(a, frame("phys", 2, false));
  StackId c = p.child(b, frame("inl1", 3, true));
  StackId d = p.child(c, frame("inl2", 4, true));
  StackId e = p.child(p.child(kEmptyStack, frame("other", 9, false)), frame("phys", 2, false));
  StackId f = p.child(p.child(e, frame("inl1", 3, true)), frame("inl2", 4, true));
  Label l{p.strings.intern("worker"), p.strings.intern("w1"), 0, 0};
  Label n{p.strings.intern("size"), 0, 12, p.strings.intern("bytes")};
  int64_t v1 = 2000, v2 = 500, v3 = 3000;
  p.add_sample(d, &v1, &l, 1);
  p.add_sample(f, &v2, &n, 1);
  p.add_sample(c, &v3);
  std::string raw = write_pprof(p, false);
  perftools::profiles::Profile pb;
  REQUIRE(pb.ParseFromString(raw));
  // 500 is not a whole count: the column stays scaled and a comment says so.
  REQUIRE(pb.comment_size() == 1);
  CHECK(pb.string_table(pb.comment(0)).find("1/1000") != std::string::npos);
  // Locations: root_inl, phys+inl1+inl2 (shared by both paths), other, phys+inl1.
  CHECK(pb.location_size() == 4);
  CHECK(pb.function_size() == 5);
  const auto& loc = pb.location(static_cast<int>(pb.sample(0).location_id(0)) - 1);
  REQUIRE(loc.line_size() == 3);
  CHECK(pb.string_table(pb.function(static_cast<int>(loc.line(0).function_id()) - 1).name()) ==
        "inl2");
  CHECK(pb.string_table(pb.function(static_cast<int>(loc.line(2).function_id()) - 1).name()) ==
        "phys");
  Profile q = read_pprof_bytes(raw);
  std::vector<std::string> lines = sample_lines(q);
  REQUIRE(lines.size() == 3);
  // The root frame was inlined with nothing to inline into: it comes back as a physical frame.
  CHECK(lines[0] == "2000 | worker=w1 | ; root_inl x.go:1 ; phys x.go:2 ; inl1 x.go:3 (inline) ; "
                    "inl2 x.go:4 (inline)");
  CHECK(lines[1] == "500 | size=12bytes | ; other x.go:9 ; phys x.go:2 ; inl1 x.go:3 (inline) ; "
                    "inl2 x.go:4 (inline)");
  CHECK(lines[2] == "3000 | | ; root_inl x.go:1 ; phys x.go:2 ; inl1 x.go:3 (inline)");
  // Whole counts are divided back to pprof's unscaled integers.
  p.mutable_values(1)[0] = 1000;
  Profile whole = read_pprof_bytes(write_pprof(p));
  CHECK(whole.value(0, 0) == 2);
  CHECK(whole.value(1, 0) == 1);
  CHECK(whole.meta.comments.empty());
}

TEST_CASE("pprof writer: names with invalid UTF-8 go out as U+FFFD, control characters kept") {
  // profile.proto's strings are `string`: libprotobuf logs an error writing invalid UTF-8 and
  // refuses to parse it back, so the writer replaces each invalid byte.
  Profile p;
  p.value_types.push_back({p.strings.intern("samples"), p.strings.intern("count"), 1});
  auto frame = [&](std::string_view fn) {
    return p.intern_frame({p.strings.intern(fn), p.strings.intern("f\xc3\x28.go"), 1, false});
  };
  StackId root = p.child(kEmptyStack, frame("ma\xffin"));
  StackId s = p.child(root, frame("ctl\x01\x1b[31m\xed\xa0\x80"));
  int64_t v = 3;
  p.add_sample(s, &v);
  std::string raw = write_pprof(p, false);
  perftools::profiles::Profile pb;
  REQUIRE(pb.ParseFromString(raw));
  std::vector<std::string> names;
  for (const auto& fn : pb.function()) names.push_back(pb.string_table(static_cast<int>(fn.name())));
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"ctl\x01\x1b[31m\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
                                          "ma\xEF\xBF\xBDin"});
  CHECK(pb.string_table(static_cast<int>(pb.function(0).filename())) == "f\xEF\xBF\xBD(.go");
  // Valid names are untouched: the same bytes as before for a clean profile.
  Profile q = read_pprof_bytes(raw);
  CHECK(write_pprof(q, false) == raw);
}

TEST_CASE("pprof writer: an empty profile is still a valid profile") {
  Profile p;
  Profile q = read_pprof_bytes(write_pprof(p));
  CHECK(q.samples().empty());
  CHECK(q.value_types.empty());
}

TEST_CASE("pprof writer: go tool pprof -top reads what we write and agrees") {
  if (!have_go()) {
    MESSAGE("go is not on PATH: skipping the go tool pprof check (apt-get install golang-go)");
    return;
  }
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / fmt::format("perfkit_pprof_writer_{}", getpid());
  fs::create_directories(dir);
  for (const char* name : kCorpus) {
    CAPTURE(name);
    Profile p = read_pprof_bytes(corpus_bytes(name), name);
    fs::path out = dir / (std::string(name) + ".pb.gz");
    {
      std::ofstream f(out, std::ios::binary);
      std::string bytes = write_pprof(p);
      f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    std::string ours = run("go tool pprof -nodefraction=0 -edgefraction=0 -nodecount=1000000 -top "
                          "-symbolize=none " + out.string());
    std::string expected = file_bytes(
        source_path(std::string("testdata/pprof/expected/") + name + ".top.txt"));
    CHECK(top_body(ours) == top_body(expected));
  }
  fs::remove_all(dir);
}
