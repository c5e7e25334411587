// Hostile inputs at the library level: depth never becomes recursion (the pipeline runs on a
// thread with a 256 KiB stack, so even modest recursion on input depth overflows here and crashes
// the test), a gzip bomb stops at the bound, odd bytes in names reach the writers intact or
// sanitized. The CLI versions (1,000,000-deep traces, a 100 MB string, exit codes) are in
// tests/cli/hostile_*.sh.
#include <doctest/doctest.h>
#include <pthread.h>
#include <zlib.h>

#include <cstring>
#include <functional>
#include <string>

#include "formats/folded/folded_writer.h"
#include "formats/pprof/pprof_writer.h"
#include "formats/registry.h"
#include "lib/aggregate.h"
#include "lib/errors.h"
#include "lib/flame.h"
#include "lib/input.h"
#include "lib/span_stacks.h"
#include "lib/summary.h"

using namespace perfkit;

namespace {

// Runs fn on a thread with a small stack; rethrows what it threw.
void on_small_stack(const std::function<void()>& fn, size_t stack_bytes = 256 * 1024) {
  struct Ctx {
    const std::function<void()>* fn;
    std::exception_ptr error;
  } ctx{&fn, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t th;
  auto body = [](void* arg) -> void* {
    auto* c = static_cast<Ctx*>(arg);
    try {
      (*c->fn)();
    } catch (...) {
      c->error = std::current_exception();
    }
    return nullptr;
  };
  REQUIRE(pthread_create(&th, &attr, body, &ctx) == 0);
  pthread_join(th, nullptr);
  pthread_attr_destroy(&attr);
  if (ctx.error) std::rethrow_exception(ctx.error);
}

InputBuffer buffer_of(const std::string& s, const char* path = "mem") {
  InputBuffer in(s.size());
  std::memcpy(in.data(), s.data(), s.size());
  in.path = path;
  in.file_bytes = s.size();
  return in;
}

// Everything a command does after reading, for a profile with stacks.
void run_pipeline(const Profile& p) {
  (void)summarize(p);
  FlatTable t = aggregate(p, AggregateOptions{});
  sort_rows(p, t.rows, SortKey::kCum);
  FlameTree tree = build_flame_tree(p, FlameOptions{});
  (void)flame_offsets(tree);
  (void)flame_visible(tree, 0.001);
  (void)flame_path(tree, static_cast<uint32_t>(tree.nodes.size() - 1));
  (void)write_folded(p, -1);
  (void)write_pprof(p, false);
}

constexpr int kDeep = 1000000;

}  // namespace

TEST_CASE("a folded stack 1,000,000 frames deep: read, aggregate, flame, write on a 256 KiB stack") {
  std::string text;
  text.reserve(8 * kDeep);
  for (int i = 0; i < kDeep; ++i) {
    if (i) text += ';';
    text += 'f';
    text += std::to_string(i);
  }
  text += " 7\n";
  on_small_stack([&] {
    // A 7.9 MB line, past the folded probe's first MiB: still detected as folded.
    Profile p = read_profile(buffer_of(text, "deep.folded"), ReadOptions{});
    CHECK(p.format == "folded");
    ProfileSummary s = summarize(p);
    CHECK(s.max_depth == kDeep);
    CHECK(s.functions == kDeep);
    FlatTable t = aggregate(p, AggregateOptions{});
    REQUIRE(t.rows.size() == static_cast<size_t>(kDeep));
    int64_t flat = 0;
    size_t cum7 = 0;
    for (const auto& r : t.rows) {
      cum7 += r.cum == 7;
      flat += r.flat;
    }
    CHECK(cum7 == t.rows.size());
    CHECK(flat == 7);
    FlameTree tree = build_flame_tree(p, FlameOptions{});
    CHECK(tree.nodes.size() == static_cast<size_t>(kDeep) + 1);
    CHECK(tree.total() == 7);
    std::string folded = write_folded(p, -1);
    CHECK(folded == text);
    run_pipeline(p);
    // The pprof writer's output reads back as the same single deep stack.
    Profile back = read_profile(buffer_of(write_pprof(p, false), "deep.pb"), ReadOptions{});
    CHECK(write_folded(back, -1) == text);
  });
}

TEST_CASE("one function recursing 1,000,000 deep: cum counted once per sample, no recursion") {
  std::string text;
  for (int i = 0; i < kDeep; ++i) text += i ? ";rec" : "rec";
  text += " 3\nrec;other 2\n";
  on_small_stack([&] {
    ReadOptions opts;
    opts.input_format = "folded";
    Profile p = read_profile(buffer_of(text, "rec.folded"), opts);
    FlatTable t = aggregate(p, AggregateOptions{});
    bool seen = false;
    for (const auto& r : t.rows) {
      if (p.str(r.name) != "rec") continue;
      seen = true;
      CHECK(r.flat == 3);
      CHECK(r.cum == 5);
    }
    CHECK(seen);
    run_pipeline(p);
  });
}

TEST_CASE("Chrome B events nested 200,000 deep: spans, span stacks and the pipeline, no recursion") {
  constexpr int n = 200000;
  std::string json = "[";
  for (int i = 0; i < n; ++i)
    json += "{\"ph\":\"B\",\"pid\":1,\"tid\":1,\"ts\":" + std::to_string(i) + ",\"name\":\"s" +
            std::to_string(i % 100) + "\"},";
  for (int i = 0; i < n; ++i)
    json += std::string(i ? "," : "") + "{\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":" +
            std::to_string(n + i + 1) + "}";
  json += "]";
  if (probe_chrome("[{\"ph\":\"X\",\"ts\":0}]") == Probe::kNo) {
    MESSAGE("chrome reader not built yet: skipped");
    return;
  }
  on_small_stack([&] {
    Profile p = read_profile(buffer_of(json, "deep.json"), ReadOptions{});
    REQUIRE(p.spans.size() == static_cast<size_t>(n));
    uint32_t max_depth = 0;
    for (const auto& s : p.spans) max_depth = std::max(max_depth, s.depth);
    CHECK(max_depth == n - 1);
    add_span_samples(p);
    (void)summarize(p);
    FlatTable t = aggregate(p, AggregateOptions{});
    CHECK(t.total > 0);
    FlameTree tree = build_flame_tree(p, FlameOptions{});
    CHECK(tree.nodes.size() == static_cast<size_t>(n) + 1);
    // No write_folded here: every one of the 200,000 nested spans has self time, so the folded
    // text itself holds n^2/2 frames (~20 GB); the 1,000,000-frame folded case covers the writer.
  });
}

TEST_CASE("a gzip bomb stops at the bound with an error that names the flag") {
  // 64 MiB of zeros deflate to ~64 KiB; a 1 MiB bound must refuse it without inflating it all.
  std::string zeros(64 << 20, '\0');
  uLongf cap = compressBound(zeros.size()) + 64;
  std::string gz(cap, '\0');
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
  zs.avail_in = static_cast<uInt>(zeros.size());
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = static_cast<uInt>(gz.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  gz.resize(zs.total_out);
  deflateEnd(&zs);
  CHECK(gz.size() < 200000);
  try {
    (void)gunzip("bomb.gz", gz, 1 << 20);
    FAIL("the bomb was inflated");
  } catch (const InputError& e) {
    std::string what = e.what();
    CHECK(what.find("bomb.gz") == 0);
    CHECK(what.find("limit of 1048576 bytes") != std::string::npos);
    CHECK(what.find("--max-input-size") != std::string::npos);
  }
  // Raised past it, the same bytes inflate.
  InputBuffer ok = gunzip("bomb.gz", gz, 128 << 20);
  CHECK(ok.size() == zeros.size());
}

TEST_CASE("odd bytes in names: read or refused, never a crash; the folded writer strips controls") {
  std::string text = std::string("ma\xff" "in;ctl\x01\x1b[31m;nul") + '\0' + "x;\xed\xa0\x80 5\n";
  ReadOptions opts;
  opts.input_format = "folded";
  Profile p;
  try {
    p = read_profile(buffer_of(text, "names.folded"), opts);
  } catch (const InputError& e) {
    MESSAGE("refused: " << e.what());
    return;
  }
  run_pipeline(p);
  std::string out = write_folded(p, -1);
  CHECK(out.find('\x01') == std::string::npos);  // controls become '?'
  CHECK(out.find('\x1b') == std::string::npos);
}
