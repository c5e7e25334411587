// Deferred stacks: the pprof reader hands each sample's stack over as a frame list and decodes
// samples on several threads; aggregate() reads the lists without building the trie. These tests
// hold both shortcuts to what the one-thread reader and the trie give.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "lib/aggregate.h"
#include "lib/errors.h"
#include "tests/pprof_test_util.h"

using namespace perfkit;
using namespace perfkit::testing;

namespace {

Profile read_with_jobs(std::string_view bytes, unsigned jobs) {
  InputBuffer b = buffer_of(bytes, "big.pb");
  ReadOptions opts;
  opts.input_format = "pprof";
  opts.jobs = jobs;
  return read_profile(b, opts);
}

// A table as text, rows in a fixed order, with everything aggregate computes.
std::string table_text(const Profile& p, FlatTable t) {
  sort_rows(p, t.rows, SortKey::kFlat);
  std::string out = fmt::format("{}/{} total {} kept {}\n", t.type, t.unit, t.total, t.kept_total);
  for (const FlatRow& r : t.rows)
    out += fmt::format("{} {}:{} flat {} cum {} inline {}{}\n", p.str(r.name), p.str(r.file), r.line,
                       r.flat, r.cum, r.inlined, r.partial_inline);
  return out;
}

// A profile of `samples` samples over 400 functions and `distinct` stacks, written by hand so it
// has what libprotobuf writers vary: packed and unpacked location ids, inlined lines, label sets
// that repeat, labels split by another field, zero values. bad_samples refer to a missing location.
std::string big_profile(int samples, std::vector<int> bad_samples = {}, int distinct = 3000) {
  std::mt19937 rng(7);
  Pb pb;
  pb.msg(1, Pb().num(1, 1).num(2, 2));
  pb.msg(1, Pb().num(1, 3).num(2, 4));
  std::vector<std::string> strings = {"", "samples", "count", "cpu", "nanoseconds", "file.go",
                                      "thread", "route", "/a", "/b", "ms"};
  const uint64_t first_fn_string = strings.size();
  for (int f = 0; f < 400; ++f) strings.push_back(fmt::format("pkg.fn{}", f));
  for (int f = 0; f < 400; ++f)
    pb.msg(5, Pb().num(1, f + 1).num(2, first_fn_string + f).num(4, 5));
  for (int l = 0; l < 600; ++l) {
    Pb loc;
    loc.num(1, l + 1);
    if (l % 7 == 0) loc.msg(4, Pb().num(1, (l * 13) % 400 + 1).num(2, 10 + l));  // inlined callee
    loc.msg(4, Pb().num(1, l % 400 + 1).num(2, l));
    pb.msg(4, loc);
  }
  std::vector<std::vector<uint64_t>> stacks;
  for (int s = 0; s < distinct; ++s) {
    std::vector<uint64_t> ids(1 + rng() % 40);
    for (auto& id : ids) id = 1 + rng() % 600;
    stacks.push_back(ids);
  }
  for (int i = 0; i < samples; ++i) {
    std::vector<uint64_t> ids = stacks[rng() % stacks.size()];
    if (std::find(bad_samples.begin(), bad_samples.end(), i) != bad_samples.end())
      ids.push_back(999999);
    Pb s;
    if (i % 10 == 3) s.unpacked(1, ids);
    else s.packed(1, ids);
    uint64_t v = rng() % 5;
    Pb thread = Pb().num(1, 6).num(3, rng() % 4).num(4, 10 * (i % 2));
    Pb route = Pb().num(1, 7).num(2, 8 + rng() % 2);
    if (i % 10 == 5) {  // labels apart: decoded one by one
      s.msg(3, thread).packed(2, {v, v * 10}).msg(3, route);
    } else {
      s.packed(2, {v, v * 10});
      if (i % 3) s.msg(3, thread).msg(3, route);
    }
    pb.msg(2, s);
  }
  for (const std::string& str : strings) pb.bytes(6, str);
  return pb.b;
}

}  // namespace

TEST_CASE("pprof samples decoded on several threads equal the one-thread read") {
  const std::string bytes = big_profile(60000);
  Profile one = read_with_jobs(bytes, 1);
  CHECK(one.has_deferred_stacks());
  const std::string want = dump(one);
  for (unsigned jobs : {2u, 3u, 4u}) {
    CAPTURE(jobs);
    Profile many = read_with_jobs(bytes, jobs);
    CHECK(many.sample_count() == 60000);
    CHECK(dump(many) == want);
  }
}

TEST_CASE("an error in a later share is the error the one-thread read gives") {
  const std::string bytes = big_profile(60000, {45000, 52000});
  std::string one, many;
  try {
    read_with_jobs(bytes, 1);
  } catch (const InputError& e) {
    one = e.what();
  }
  try {
    read_with_jobs(bytes, 4);
  } catch (const InputError& e) {
    many = e.what();
  }
  CHECK(one.find("location id 999999") != std::string::npos);
  CHECK(many == one);
}

TEST_CASE("aggregate from deferred stack lists equals aggregate from the trie") {
  std::vector<std::pair<std::string, std::string>> inputs;  // name, bytes
  for (const auto& e : std::filesystem::directory_iterator(source_path("testdata/pprof")))
    if (e.path().extension() == ".gz") inputs.emplace_back(e.path().filename(), file_bytes(e.path()));
  // Over 20,000 distinct stacks: the lists are tallied in shares with jobs = 2.
  inputs.emplace_back("big", big_profile(60000, {}, 40000));
  REQUIRE(inputs.size() >= 4);
  for (const auto& [name, bytes] : inputs) {
    CAPTURE(name);
    Profile lists = read_with_jobs(bytes, 2);
    Profile trie = read_with_jobs(bytes, 1);
    trie.stacks();  // builds the trie
    REQUIRE(lists.has_deferred_stacks());
    REQUIRE(!trie.has_deferred_stacks());
    if (name == "big") CHECK(lists.stack_lists().begin.size() > 20001);
    const std::vector<SampleFilter> filters = {
        {}, {"fn1", "", ""}, {"", "fn2", ""}, {"", "", "fn3"}, {"main|fn4", "runtime|fn5", "fn6"},
        {"", "", "runtime\\."}, {"regexp", "", ""}};
    for (Granularity by : {Granularity::kFunction, Granularity::kFile, Granularity::kLine}) {
      for (const SampleFilter& f : filters) {
        for (size_t vi = 0; vi < trie.value_types.size(); ++vi) {
          CAPTURE(static_cast<int>(by));
          CAPTURE(f.focus);
          CAPTURE(f.ignore);
          CAPTURE(f.hide);
          AggregateOptions o;
          o.by = by;
          o.filter = f;
          o.value_index = static_cast<int>(vi);
          const std::string want = table_text(trie, aggregate(trie, o));
          for (unsigned jobs : {1u, 2u}) {
            o.jobs = jobs;
            CHECK(table_text(lists, aggregate(lists, o)) == want);
          }
        }
      }
    }
    CHECK(lists.has_deferred_stacks());  // aggregate never built the trie
  }
}

TEST_CASE("a stack repeated as lists with values of both signs adds up as in the trie") {
  Profile p;
  p.value_types.push_back({p.strings.intern("cpu"), p.strings.intern("nanoseconds")});
  FrameId a = p.intern_frame({p.strings.intern("a"), 0, 0, false});
  FrameId b = p.intern_frame({p.strings.intern("b"), 0, 0, false});
  const FrameId ab[] = {a, b}, just_a[] = {a};
  uint32_t l1 = p.add_stack_list(ab, 2), l2 = p.add_stack_list(ab, 2), l3 = p.add_stack_list(just_a, 1);
  const int64_t plus = 5, minus = -5, three = 3;
  p.add_list_sample(l1, &plus);
  p.add_list_sample(l2, &minus);
  p.add_list_sample(l3, &three);
  FlatTable t = aggregate(p, AggregateOptions{});
  // a->b cancels out: b has flat 0 and cum 0, and pprof drops such a node; the sums are linear,
  // so the lists need no trie. kept sums |value| per sample, as the total does.
  CHECK(table_text(p, t) == "cpu/nanoseconds total 13 kept 13\na :0 flat 3 cum 3 inline falsefalse\n");
  CHECK(p.has_deferred_stacks());
  CHECK(p.stacks().size() == 3);
}

TEST_CASE("a profile with deferred stacks builds its trie on first use") {
  Profile p = read_with_jobs(big_profile(100), 1);
  REQUIRE(p.has_deferred_stacks());
  const size_t n = p.sample_count();
  std::vector<std::string> first = sample_lines(p);  // samples() builds the trie
  CHECK(!p.has_deferred_stacks());
  CHECK(first.size() == n);
  CHECK(sample_lines(p) == first);
}

// The trie built from lists (looked up by path hash, links made later) against the same lists
// walked frame by frame with child(): the same nodes with the same ids, the same sample stacks,
// and child() afterwards finds what is there and adds what is not, as in the walked trie.
TEST_CASE("a trie built from stack lists numbers its nodes as child() walks of the lists do") {
  for (int shape = 0; shape < 4; ++shape) {
    std::mt19937 rng(11 + shape);
    Profile lists, walked;
    for (Profile* p : {&lists, &walked}) {
      p->value_types.push_back(ValueType{p->strings.intern("samples"), p->strings.intern("count")});
      for (int f = 0; f < 300; ++f) p->intern_frame(Frame{p->strings.intern(fmt::format("f{}", f))});
    }
    // 0: shared prefixes and repeats; 1: deep stacks, each once (more nodes than the table's
    // first guess, so it grows); 2: few frames, wide nodes (indexed children); 3: empty and 1-frame lists.
    std::vector<std::vector<FrameId>> stacks;
    const int count = shape == 1 ? 5000 : 3000;
    for (int s = 0; s < count; ++s) {
      std::vector<FrameId> st;
      if (shape == 0 && !stacks.empty() && rng() % 2) {
        st = stacks[rng() % stacks.size()];
        st.resize(rng() % (st.size() + 1));
      }
      const size_t depth = shape == 1 ? 100 + rng() % 200 : shape == 3 ? rng() % 2 : 1 + rng() % 40;
      const FrameId frames = shape == 2 ? 6 : 300;
      while (st.size() < depth) st.push_back(rng() % frames);
      stacks.push_back(st);
    }
    for (int i = 0; i < 5000; ++i) {
      const std::vector<FrameId>& st = stacks[shape == 1 ? i : rng() % stacks.size()];
      const int64_t v = 1 + i % 7;
      lists.add_list_sample(lists.add_stack_list(st.data(), st.size()), &v);
      StackId s = kEmptyStack;
      for (FrameId f : st) s = walked.child(s, f);
      walked.add_sample(s, &v);
    }
    REQUIRE(lists.has_deferred_stacks());
    const auto& a = lists.stacks();
    const auto& b = walked.stacks();
    REQUIRE(a.size() == b.size());
    size_t differ = 0;
    for (size_t n = 0; n < a.size(); ++n)
      differ += a[n].parent != b[n].parent || a[n].frame != b[n].frame || a[n].depth != b[n].depth;
    CHECK(differ == 0);
    REQUIRE(lists.samples().size() == walked.samples().size());
    for (size_t i = 0; i < lists.samples().size(); ++i)
      CHECK(lists.samples()[i].stack == walked.samples()[i].stack);
    for (int k = 0; k < 20000; ++k) {
      const StackId parent = rng() % a.size();
      const FrameId f = rng() % (shape == 2 ? 8 : 310);
      REQUIRE(lists.child(parent, f) == walked.child(parent, f));
    }
    CHECK(lists.stacks().size() == walked.stacks().size());
  }
}
