// lib/cpp_names: the simplified names pprof's symbolizer prints, computed from demangled text.
#include "lib/cpp_names.h"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

using perfkit::simplify_cpp_name;

namespace {

struct Case {
  const char* name;
  const char* simplified;
};

// Names from testdata (perf script, callgrind, gperftools profiles symbolized with
// -symbolize=demangle=full, Go/Node/Python profiles), and the cases an earlier scanner got wrong.
constexpr Case kCases[] = {
    // testdata/pprof/producers/cpp_cpu_fullnames.pb.gz, with what cpp_cpu.pb.gz (pprof's
    // default symbolization of the same profile) names them
    {"work::area(long, long)", "work::area"},
    {"work::(anonymous namespace)::mix(unsigned long)", "work::(anonymous namespace)::mix"},
    {"(anonymous namespace)::run(double)", "(anonymous namespace)::run"},
    {"double work::accumulate_squares<double>(std::vector<double, std::allocator<double> > "
     "const&)",
     "work::accumulate_squares"},
    {"__gnu_cxx::__enable_if<std::__is_scalar<double>::__value, void>::__type "
     "std::__fill_a1<double*, double>(double*, double*, double const&)",
     "std::__fill_a1"},
    {"double* std::__uninitialized_fill_n<true>::__uninit_fill_n<double*, unsigned long, "
     "double>(double*, unsigned long, double const&)",
     "std::__uninitialized_fill_n::__uninit_fill_n"},
    {"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> "
     ">::~basic_string()",
     "std::__cxx11::basic_string::~basic_string"},
    {"std::default_delete<std::vector<int, std::allocator<int> > >::operator()(std::vector<int, "
     "std::allocator<int> >*) const",
     "std::default_delete::operator()"},
    {"operator*", "operator*"},
    {"round_once", "round_once"},
    // perf script (testdata/perf): perf prints no parameters; kernel and glibc clones
    {"work::sum_squares<double>", "work::sum_squares"},
    {"work::Hasher::hash", "work::Hasher::hash"},
    {"(anonymous namespace)::mix", "(anonymous namespace)::mix"},
    {"do_execveat_common.isra.0", "do_execveat_common"},
    {"ptmalloc_init.part.0", "ptmalloc_init"},
    {"init_cpu_features.constprop.0", "init_cpu_features"},
    {"main.cold", "main"},
    {"foo.constprop.0.isra.0", "foo"},
    {"[unknown]", "[unknown]"},
    {"[libc.so.6]", "[libc.so.6]"},
    {"_IO_file_xsputn@@GLIBC_2.2.5", "_IO_file_xsputn@@GLIBC_2.2.5"},
    {"(below main)", "(below main)"},
    // valgrind's callgrind: parameters, and the recursion level of --separate-recs
    {"work::Hasher::hash(unsigned long, int) const", "work::Hasher::hash"},
    {"work::Hasher::hash(char const*) const", "work::Hasher::hash"},
    {"work::fib(int)'2", "work::fib'2"},
    {"fib'2", "fib'2"},
    {"0x0000000000001050", "0x0000000000001050"},
    // c++filt's clone suffixes after the qualifiers
    {"(anonymous namespace)::top(perfkit::Profile const&, int) [clone .cold]",
     "(anonymous namespace)::top"},
    {"f(int) const [clone .part.0] [clone .isra.0]", "f"},
    {"ns::g(int) [clone .constprop.0.isra.0]", "ns::g"},
    // decltype return types, template values
    {"decltype (((void)((long const& doctest::detail::declval<long const&>()())>=((declval<long "
     "const&>)()))),((doctest::detail::Result){})) doctest::detail::Expression_lhs<long "
     "const&>::operator>=<long const&>(long const&)",
     "doctest::detail::Expression_lhs::operator>="},
    {"decltype (std::declval<F>()()) invoke<F>(F&&)", "invoke"},
    {"void foo<(1)>(int)", "foo"},
    {"std::array<int, (1)>::size() const", "std::array::size"},
    {"bool check<(3)>(3)>((char)60)>()", "bool check<(3)>(3)>((char)60)>()"},  // unbalanced
    // operators
    {"std::ostream::operator<<(int)", "std::ostream::operator<<"},
    {"std::ostream& std::operator<< <std::char_traits<char> >(std::ostream&, char const*)",
     "std::operator<<"},
    {"bool std::operator< <int>(std::vector<int> const&, std::vector<int> const&)",
     "std::operator<"},
    {"operator delete[](void*)", "operator delete[]"},
    {"operator new(unsigned long)", "operator new"},
    {"operator delete(void*, unsigned long)", "operator delete"},
    {"Foo::operator()(int) const", "Foo::operator()"},
    {"Iter<int>::operator->() const", "Iter::operator->"},
    {"Ptr::operator->*(int Ptr::*)", "Ptr::operator->*"},
    {"A::operator>>=(int)", "A::operator>>="},
    {"A::operator<=>(A const&) const", "A::operator<=>"},
    {"std::map<int, int>::operator[](int const&)", "std::map::operator[]"},
    {"Foo::operator bool() const", "Foo::operator bool"},
    {"Foo::operator char const*() const", "Foo::operator char const*"},
    {"std::basic_string<char>::operator std::basic_string_view<char, std::char_traits<char> >() "
     "const",
     "std::basic_string::operator std::basic_string_view"},
    {"operator\"\" _km(unsigned long long)", "operator\"\" _km"},
    {"Foo::operators()", "Foo::operators"},
    // lambdas, unnamed types, local names: the demangler keeps an enclosing function's params
    {"main::{lambda(int)#1}::operator()(int) const", "main::{lambda(int)#1}::operator()"},
    {"run(std::vector<int, std::allocator<int> > const&)::{lambda(int)#2}::operator()(int) const",
     "run(std::vector const&)::{lambda(int)#2}::operator()"},
    {"Cycle<int>::print(Ctx<int> const&) const::{lambda(std::ostream&)#1}::_FUN(std::ostream&)",
     "Cycle::print(Ctx const&) const::{lambda(std::ostream&)#1}::_FUN"},
    {"S::{unnamed type#1}::~{unnamed type#1}()", "S::{unnamed type#1}::~{unnamed type#1}"},
    // function pointers and function types in template arguments and parameters
    {"void call<void (*)(int)>(void (*)(int), int)", "call"},
    {"std::function<bool (int, char)>::operator()(int, char) const", "std::function::operator()"},
    {"reg(char const* (*)(char const*, Ctx*))", "reg"},
    {"void (*signal_handler(int))(int)", "void (*signal_handler(int))(int)"},
    // ABI tags, qualifiers
    {"perfkit::PprofFormatter::operator()[abi:cxx11](long) const [clone .cold]",
     "perfkit::PprofFormatter::operator()[abi:cxx11]"},
    {"std::__cxx11::basic_string<char>::substr[abi:cxx11](unsigned long, unsigned long) const",
     "std::__cxx11::basic_string::substr[abi:cxx11]"},
    {"S::get() &&", "S::get"},
    {"S::get() const &", "S::get"},
    {"S::f() volatile noexcept", "S::f"},
    // the demangler's special names keep their parameters
    {"non-virtual thunk to std::basic_iostream<char, std::char_traits<char> >::~basic_iostream()",
     "non-virtual thunk to std::basic_iostream::~basic_iostream()"},
    {"typeinfo for std::vector<int>", "typeinfo for std::vector"},
    // not demangled C++: unchanged
    {"main.(*Hasher).Sum", "main.(*Hasher).Sum"},
    {"sync.(*Mutex).Unlock", "sync.(*Mutex).Unlock"},
    {"perfkit.test/producers/lib.Map[...]", "perfkit.test/producers/lib.Map[...]"},
    {"lib.Map[go.shape.int_0]", "lib.Map[go.shape.int_0]"},
    {"main.worker.func1", "main.worker.func1"},
    {"runtime.part.func1.1", "runtime.part.func1.1"},
    {"type..eq.[2]interface {}", "type..eq.[2]interface {}"},
    {"<impl core::fmt::Debug for app::Foo>::fmt", "<impl core::fmt::Debug for app::Foo>::fmt"},
    {"<T as core::convert::Into<U>>::into", "<T as core::convert::Into<U>>::into"},
    {"std::rt::lang_start::{{closure}}", "std::rt::lang_start::{{closure}}"},
    {"java.util.HashMap.<init>", "java.util.HashMap.<init>"},
    {"java/util/HashMap.get(Ljava/lang/Object;)Ljava/lang/Object;",
     "java/util/HashMap.get(Ljava/lang/Object;)Ljava/lang/Object;"},
    {"(anonymous)", "(anonymous)"},
    {"(anonymous:L#10:C#43)", "(anonymous:L#10:C#43)"},
    {"(garbage collector)", "(garbage collector)"},
    {"Task (idle)", "Task (idle)"},
    {"Garbage Collection", "Garbage Collection"},
    {"<genexpr>", "<genexpr>"},
    {"<module>:1", "<module>:1"},
    {"{built-in method builtins.sum}", "{built-in method builtins.sum}"},
    {"{method 'disable' of '_lsprof.Profiler' objects}",
     "{method 'disable' of '_lsprof.Profiler' objects}"},
    {"my f(int, char)", "my f(int, char)"},  // a space, and no template: not a return type
    {"-[NSObject description]", "-[NSObject description]"},
    {"f(int", "f(int"},
    {"f<int", "f<int"},
    {"f(int))", "f(int))"},
    {"a::b::", "a::b::"},
    {"", ""},
};

}  // namespace

TEST_CASE("simplify_cpp_name: table of real and hard names") {
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    CHECK(simplify_cpp_name(c.name) == c.simplified);
  }
}

TEST_CASE("simplify_cpp_name: idempotent") {
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    CHECK(simplify_cpp_name(c.simplified) == c.simplified);
  }
}

// testdata/names/cpp_demangled.tsv (tests/names/make_cpp_names.sh): real symbols of libstdc++,
// RE2, protobuf and perfkit, each with what pprof's demangler prints for it by default.
TEST_CASE("simplify_cpp_name: what pprof's demangler prints, on 300 real symbols") {
  std::ifstream in(std::string(PERFKIT_SOURCE_DIR) + "/testdata/names/cpp_demangled.tsv");
  REQUIRE(in);
  std::string line;
  int rows = 0, equal = 0;
  while (std::getline(in, line)) {
    const size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    REQUIRE(t2 != std::string::npos);
    const std::string full = line.substr(t1 + 1, t2 - t1 - 1), pprof = line.substr(t2 + 1);
    CAPTURE(full);
    CHECK(simplify_cpp_name(full) == pprof);
    ++rows;
    equal += simplify_cpp_name(full) == pprof;
  }
  CHECK(rows >= 300);
  CHECK(equal == rows);
}
