#include <doctest/doctest.h>

#include "lib/input.h"
#include "lib/errors.h"
#include "lib/profile.h"

using namespace perfkit;

TEST_CASE("string table interns and keeps id 0 empty") {
  StringTable t;
  CHECK(t[0].empty());
  StrId a = t.intern("main.main");
  StrId b = t.intern("runtime.main");
  CHECK(a != b);
  CHECK(t.intern("main.main") == a);
  CHECK(t[a] == "main.main");
  CHECK(t.intern("") == 0);
  CHECK(t.find("nope") == -1);
}

TEST_CASE("stack trie shares prefixes and returns frames root first") {
  Profile p;
  p.value_types.push_back({p.strings.intern("samples"), p.strings.intern("count")});
  FrameId fa = p.intern_frame({p.strings.intern("a"), 0, 0, false});
  FrameId fb = p.intern_frame({p.strings.intern("b"), 0, 0, false});
  FrameId fc = p.intern_frame({p.strings.intern("c"), 0, 0, false});
  StackId ab = p.child(p.child(kEmptyStack, fa), fb);
  StackId ac = p.child(p.child(kEmptyStack, fa), fc);
  CHECK(p.child(p.child(kEmptyStack, fa), fb) == ab);
  CHECK(p.stacks()[ab].parent == p.stacks()[ac].parent);
  auto frames = p.stack_frames(ab);
  REQUIRE(frames.size() == 2);
  CHECK(frames[0] == fa);
  CHECK(frames[1] == fb);
  int64_t v = 7;
  p.add_sample(ab, &v);
  CHECK(p.value(0, 0) == 7);
  CHECK(p.default_value_index() == 0);
}

TEST_CASE("gunzip reports a cut stream with its byte offset") {
  // gzip of "hello hello hello\n", then cut.
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
                              0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x90, 0x5c,
                              0x00, 0x3b, 0x7c, 0x8a, 0xdf, 0x12, 0x00, 0x00, 0x00};
  std::string_view full(reinterpret_cast<const char*>(gz), sizeof(gz));
  InputBuffer b = gunzip("x.gz", full, 1 << 20);
  CHECK(b.view() == "hello hello hello\n");
  CHECK_THROWS_WITH_AS(gunzip("x.gz", full.substr(0, 15), 1 << 20),
                       doctest::Contains("x.gz: byte"), InputError);
  CHECK_THROWS_WITH_AS(gunzip("x.gz", full, 4), doctest::Contains("limit"), InputError);
}
