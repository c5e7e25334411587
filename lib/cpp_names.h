// Simplified C++ names, as pprof shows them by default.
#pragma once
#include <string>
#include <string_view>

namespace perfkit {

// The name pprof's symbolizer prints for a demangled C++ function by default
// (`-symbolize=demangle=` unset: the demangler's NoParams and NoTemplateParams), computed from
// the demangled text: no parameter list of the function itself and its qualifiers (`const`, `&&`,
// `noexcept`), no return type, no template arguments anywhere, no clone suffixes (`[clone .cold]`
// of c++filt, `.isra.0`, `.constprop.0`, `.part.0`, `.cold`, `.lto_priv.0` of undemangled C
// names). Kept as the demangler keeps them: operator names (`operator()`, `operator<<`,
// `operator delete[]`, `operator std::string`), `(anonymous namespace)`, ABI tags
// (`[abi:cxx11]`), lambdas with their signature (`{lambda(int)#1}`), and the parameters of an
// enclosing function of a local name (`f(int)::{lambda()#1}::operator()` keeps `f(int)`), and of
// the names after `non-virtual thunk to` and the demangler's other special prefixes.
//
// A name that does not parse as demangled C++ (Go `pkg.(*T).M` and `pkg.F[...]`, Rust
// `<impl A for B>::f`, Java `C.<init>`, Python `<genexpr>`, JS `(anonymous)`, perf's `[unknown]`,
// unbalanced brackets, text with spaces and no parameter list) is returned unchanged.
std::string simplify_cpp_name(std::string_view name);

}  // namespace perfkit
