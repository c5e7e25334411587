// lib/regex: RE2's dialect (pprof's), linear time on patterns that made std::regex backtrack or
// recurse, and errors that say why.
#include <doctest/doctest.h>

#include <string>

#include "lib/errors.h"
#include "lib/regex.h"

using perfkit::Regex;

TEST_CASE("regex: pprof's dialect (RE2)") {
  Regex ci = Regex::compile("(?i)MAIN\\.");
  REQUIRE(ci.ok());
  CHECK(ci.search("runtime.main.func1"));
  Regex letters = Regex::compile("^\\pL+$");
  REQUIRE(letters.ok());
  CHECK(letters.search("überall"));
  CHECK_FALSE(letters.search("a1"));
  // Backreferences and lookahead are not RE2: refused with a reason, not silently different.
  Regex back = Regex::compile("(a)\\1");
  CHECK_FALSE(back.ok());
  CHECK(back.error().find("\\1") != std::string::npos);
  CHECK_FALSE(Regex::compile("a(?=b)").ok());
  // search is unanchored, full_match anchored at both ends.
  Regex rt = Regex::compile("runtime\\.");
  CHECK(rt.search("x runtime.mallocgc"));
  CHECK_FALSE(rt.full_match("runtime.mallocgc"));
  CHECK(Regex::compile("runtime\\..*").full_match("runtime.mallocgc"));
}

TEST_CASE("regex: hostile patterns run in linear time and never recurse") {
  // (a|a)*b against a run of a's: exponential for a backtracking matcher.
  Regex ex = Regex::compile("(a|a)*b");
  REQUIRE(ex.ok());
  std::string as(100000, 'a');
  CHECK_FALSE(ex.full_match(as));
  CHECK_FALSE(ex.search(as));
  // 30,000 nested groups: std::regex overflowed the stack compiling far fewer.
  std::string nested = std::string(30000, '(') + "a" + std::string(30000, ')');
  Regex deep = Regex::compile(nested);
  REQUIRE(deep.ok());
  CHECK(deep.full_match("a"));
  // Longer than the cap: refused with the reason.
  Regex huge = Regex::compile(std::string(Regex::kMaxPatternBytes + 1, 'a'));
  CHECK_FALSE(huge.ok());
  CHECK(huge.error().find("longer than") != std::string::npos);
  // A program over RE2's memory budget is refused, not built.
  Regex big = Regex::compile("(?:[a-z]{1000}){1000}");
  CHECK_FALSE(big.ok());
}

TEST_CASE("regex: an option's bad pattern is a usage error naming the option") {
  try {
    perfkit::compile_option_regex("--focus", "a(");
    FAIL("expected a UsageError");
  } catch (const perfkit::UsageError& e) {
    std::string what = e.what();
    CHECK(what.find("--focus: invalid regular expression 'a('") == 0);
  }
}

#include "lib/pprof_names.h"

TEST_CASE("pprof names: simplifyFunc, filepath.Base, trimPath + filepath.Clean") {
  using perfkit::pprof_clean_path;
  using perfkit::simplify_function_name;
  CHECK(simplify_function_name(".main.foo(int)") == "main.foo");
  CHECK(simplify_function_name("ns::(anonymous namespace)::f(int)") == "ns::(anonymous namespace)::f");
  CHECK(simplify_function_name("Foo::operator()(int) const") == "Foo::operator()");
  CHECK(simplify_function_name("plain") == "plain");
  CHECK(perfkit::path_base("/usr/lib/libc.so.6") == "libc.so.6");
  CHECK(perfkit::path_base("/a/b/") == "b");
  CHECK(perfkit::path_base("") == ".");
  CHECK(pprof_clean_path("/proc/self/cwd/./src/main.go") == "src/main.go");
  CHECK(pprof_clean_path("/a//b/./c/../d.go") == "/a/b/d.go");
  CHECK(pprof_clean_path("../x/../../y.go") == "../../y.go");
  CHECK(pprof_clean_path("/../a.go") == "/a.go");
  CHECK(pprof_clean_path("a/..") == ".");
  CHECK(pprof_clean_path("") == "");
}
