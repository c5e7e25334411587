#include "lib/cpp_names.h"

#include <vector>

// A linear scanner over demangled text. It tracks the nesting of <>, (), [] and {}, knows
// operator names (whose '<', '>', '(' and '[' are not brackets) and decides at nesting depth 0
// what each group is: template arguments (dropped everywhere), a parameter list (the function's
// own is dropped with its qualifiers, an enclosing function's is kept), `(anonymous namespace)`,
// `decltype (...)`, an ABI tag, a lambda or unnamed type. Anything else is not demangled C++ and
// the name is returned as it came.

namespace perfkit {
namespace {

using std::string_view;
constexpr size_t kNpos = string_view::npos;

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}
bool digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with(string_view s, size_t i, string_view prefix) {
  return i <= s.size() && s.substr(i, prefix.size()) == prefix;
}

// `<` at s[i] opens template arguments when it follows a name (`vector<`, `tag]<`).
bool template_opener(string_view s, size_t i) {
  return i > 0 && (ident_char(s[i - 1]) || s[i - 1] == ']');
}

// The end of the operator name that starts at s[i] (the keyword `operator` at an identifier
// boundary), or kNpos. For a conversion operator (`operator bool`, `operator std::string`) the
// end is that of the keyword and *conversion is set: its type runs on to the parameter list.
size_t operator_end(string_view s, size_t i, bool* conversion) {
  *conversion = false;
  if (!starts_with(s, i, "operator") || (i > 0 && ident_char(s[i - 1]))) return kNpos;
  const size_t j = i + 8;
  if (j == s.size()) return kNpos;
  if (ident_char(s[j])) return kNpos;  // an identifier such as `operators`
  for (string_view word : {" new[]", " delete[]", " new", " delete", " co_await"}) {
    const size_t e = j + word.size();
    if (starts_with(s, j, word) && (e == s.size() || !ident_char(s[e]))) return e;
  }
  // Longest first, so that `<<=` is not read as `<` and `->*` not as `-`.
  static constexpr string_view kSymbols[] = {
      "()", "[]", "->*", "<=>", "<<=", ">>=", "->", "<<", ">>", "<=", ">=", "==", "!=",
      "&&", "||", "++",  "--",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", "<",
      ">",  "+",  "-",   "*",   "/",   "%",   "&",  "|",  "^",  "!",  "~",  "=",  ","};
  for (string_view op : kSymbols)
    if (starts_with(s, j, op)) return j + op.size();
  if (starts_with(s, j, "\"\"")) {  // a literal operator: operator"" _km
    size_t e = j + 2;
    if (e < s.size() && s[e] == ' ') ++e;
    while (e < s.size() && ident_char(s[e])) ++e;
    return e;
  }
  if (s[j] == ' ') {
    *conversion = true;
    return j;
  }
  return kNpos;
}

// Where the template arguments after an operator name ending at s[i] open (`operator< <T>`,
// `operator==<T>`), or kNpos.
size_t operator_template(string_view s, size_t i) {
  if (i < s.size() && s[i] == '<') return i;
  if (i + 1 < s.size() && s[i] == ' ' && s[i + 1] == '<') return i + 1;
  return kNpos;
}

// Just past the group that s[i] ('<', '(', '[' or '{') opens, or kNpos when it does not close.
// A '>' closes only template arguments; inside other brackets it is an expression's operator.
size_t group_end(string_view s, size_t i) {
  std::vector<char> open{s[i]};
  for (size_t k = i + 1; k < s.size();) {
    bool conversion = false;
    if (size_t op = operator_end(s, k, &conversion); op != kNpos) {
      k = op;
      if (size_t t = conversion ? kNpos : operator_template(s, k); t != kNpos) {
        open.push_back('<');
        k = t + 1;
      }
      continue;
    }
    const char c = s[k++];
    if (c == '-' && k < s.size() && s[k] == '>') {  // `a->b` in an expression
      ++k;
    } else if (c == '<') {
      if (template_opener(s, k - 1)) open.push_back('<');
    } else if (c == '(' || c == '[' || c == '{') {
      open.push_back(c);
    } else if (c == '>') {
      if (open.back() == '<') open.pop_back();
    } else if (c == ')' || c == ']' || c == '}') {
      const char want = c == ')' ? '(' : c == ']' ? '[' : '{';
      if (open.back() != want) return kNpos;
      open.pop_back();
    }
    if (open.empty()) return k;
  }
  return kNpos;
}

// Appends s[b, e) to out without its template argument lists; false when one does not close
// inside the range.
bool copy_without_templates(string_view s, size_t b, size_t e, std::string& out) {
  for (size_t k = b; k < e;) {
    bool conversion = false;
    if (size_t op = operator_end(s, k, &conversion); op != kNpos && op <= e) {
      out.append(s.substr(k, op - k));
      k = op;
      if (size_t t = conversion ? kNpos : operator_template(s, k); t != kNpos) {
        k = group_end(s, t);
        if (k == kNpos || k > e) return false;
      }
      continue;
    }
    if (s[k] == '<' && template_opener(s, k)) {
      k = group_end(s, k);
      if (k == kNpos || k > e) return false;
      continue;
    }
    out += s[k++];
  }
  return true;
}

// True when every bracket of s closes (operator names aside) and no '>' or closing bracket is
// left over.
bool balanced(string_view s) {
  for (size_t k = 0; k < s.size();) {
    bool conversion = false;
    if (size_t op = operator_end(s, k, &conversion); op != kNpos) {
      k = op;
      continue;
    }
    const char c = s[k];
    if (c == '(' || c == '[' || c == '{' || (c == '<' && template_opener(s, k))) {
      k = group_end(s, k);
      if (k == kNpos) return false;
      continue;
    }
    if (c == '<' || c == '>' || c == ')' || c == ']' || c == '}') return false;
    ++k;
  }
  return true;
}

// GCC's clone suffixes on a name that was not demangled (a C function, or a symbol a tool left
// mangled): `.isra.0`, `.constprop.0`, `.part.0`, `.lto_priv.0`, `.llvm.123` (these with their
// number), `.cold`, `.localalias` (number optional), chained as GCC chains them. Only when the
// rest has no other '.', so that a Go or Java name (`pkg.part`) is left alone.
string_view strip_plain_clone_suffixes(string_view s) {
  string_view rest = s;
  for (;;) {
    size_t t = rest.size();
    for (;;) {  // trailing `.N` groups
      size_t d = t;
      while (d > 0 && digit(rest[d - 1])) --d;
      if (d == t || d == 0 || rest[d - 1] != '.') break;
      t = d - 1;
    }
    size_t w = t;
    while (w > 0 && ((rest[w - 1] >= 'a' && rest[w - 1] <= 'z') || rest[w - 1] == '_')) --w;
    if (w == t || w < 2 || rest[w - 1] != '.') break;
    const string_view word = rest.substr(w, t - w);
    const bool numbered = t < rest.size();
    const bool known = word == "cold" || word == "localalias" ||
                       (numbered && (word == "isra" || word == "constprop" || word == "part" ||
                                     word == "lto_priv" || word == "llvm"));
    if (!known) break;
    rest = rest.substr(0, w - 1);
  }
  if (rest.size() == s.size() || rest.find('.') != kNpos || rest.empty() ||
      !ident_char(rest.back()))
    return s;
  return rest;
}

// c++filt's ` [clone .isra.0]` (one per suffix, or one for a chain), after the qualifiers.
string_view strip_demangled_clone_suffixes(string_view s) {
  while (!s.empty() && s.back() == ']') {
    const size_t p = s.rfind(" [clone .");
    if (p == kNpos || s.find(']', p) != s.size() - 1) break;
    s = s.substr(0, p);
  }
  return s;
}

// After a parameter list: ` const`, ` volatile`, ` &`, ` &&`, ` noexcept`, in any order.
size_t skip_qualifiers(string_view s, size_t i) {
  for (bool more = true; more;) {
    more = false;
    for (string_view q : {" const", " volatile", " restrict", " noexcept", " &&", " &"}) {
      const size_t e = i + q.size();
      if (starts_with(s, i, q) && (e == s.size() || !ident_char(s[e]))) {
        i = e;
        more = true;
        break;
      }
    }
  }
  return i;
}

// The demangler's special names: the rest is printed with its parameters (pprof keeps them).
constexpr string_view kSpecialPrefixes[] = {"non-virtual thunk to ",
                                            "virtual thunk to ",
                                            "covariant return thunk to ",
                                            "transaction clone for ",
                                            "non-transaction clone for ",
                                            "construction vtable for ",
                                            "typeinfo for ",
                                            "typeinfo name for ",
                                            "typeinfo fn for ",
                                            "vtable for ",
                                            "VTT for ",
                                            "guard variable for ",
                                            "TLS init function for ",
                                            "TLS wrapper function for ",
                                            "hidden alias for ",
                                            "invocation function for block in "};

bool name_start_ok(string_view n) {
  if (n.empty()) return false;
  const char c = n.front();
  if (starts_with(n, 0, "(anonymous namespace)")) return true;
  return (ident_char(c) && !digit(c)) || c == '~';
}

}  // namespace

std::string simplify_cpp_name(std::string_view name) {
  // callgrind's recursion level (`fib(int)'2`, --separate-recs) stays after the name.
  size_t d = name.size();
  while (d > 0 && digit(name[d - 1])) --d;
  if (d < name.size() && d > 1 && name[d - 1] == '\'' && name.substr(0, d - 1).find('\'') == kNpos)
    return simplify_cpp_name(name.substr(0, d - 1)) + std::string(name.substr(d - 1));
  const std::string unchanged(name);
  string_view s = strip_plain_clone_suffixes(strip_demangled_clone_suffixes(name));
  if (s.empty()) return unchanged;

  for (string_view prefix : kSpecialPrefixes)
    if (starts_with(s, 0, prefix)) {
      std::string out(prefix);
      if (!balanced(s) || !copy_without_templates(s, prefix.size(), s.size(), out) ||
          !name_start_ok(string_view(out).substr(prefix.size())))
        return unchanged;
      return out;
    }

  std::string out;
  size_t name_start = 0;         // in out: just past the last space that ended a return type
  bool return_type = false;      // such a space was seen
  bool conversion = false;       // inside a conversion operator's type (its spaces are the name's)
  bool own_params = false;       // the function's own parameter list ended the scan
  size_t operator_done = kNpos;  // where the last operator name (and its template) ended
  size_t template_done = kNpos;  // where the last template argument list ended
  for (size_t k = 0; k < s.size() && !own_params;) {
    bool conv = false;
    if (size_t op = operator_end(s, k, &conv); op != kNpos) {
      out.append(s.substr(k, op - k));
      k = op;
      conversion = conv;
      operator_done = conv ? kNpos : k;
      if (size_t t = conv ? kNpos : operator_template(s, k); t != kNpos) {
        k = group_end(s, t);
        if (k == kNpos) return unchanged;
        operator_done = template_done = k;
      }
      continue;
    }
    const char c = s[k];
    if (c == '<') {  // template arguments
      if (!template_opener(s, k)) return unchanged;
      k = group_end(s, k);
      if (k == kNpos) return unchanged;
      template_done = k;
      continue;
    }
    if (starts_with(s, k, "(anonymous namespace)")) {
      out += "(anonymous namespace)";
      k += 21;
      continue;
    }
    if (c == '(') {
      const size_t g = group_end(s, k);
      if (g == kNpos) return unchanged;
      string_view before(out);
      if (before.ends_with("decltype") || before.ends_with("decltype ")) {  // a return type
        if (!copy_without_templates(s, k, g, out)) return unchanged;
        k = g;
        continue;
      }
      const size_t q = skip_qualifiers(s, g);
      if (conversion && q != s.size() && !starts_with(s, q, "::")) {
        // part of a conversion operator's type: `operator void (T::*)()`
        if (!copy_without_templates(s, k, g, out)) return unchanged;
        k = g;
        continue;
      }
      const char prev = k > 0 ? s[k - 1] : ' ';
      if (!(ident_char(prev) || prev == '>' || prev == ']' || prev == ')' || prev == '}' ||
            operator_done == k || (conversion && (prev == '*' || prev == '&'))))
        return unchanged;  // `Task (idle)`, `(anonymous)`, `void (*f())()`
      if (q == s.size()) {
        // The demangler prints a return type only for a function template's specialization.
        if (return_type && template_done != k) return unchanged;  // `my f(int)`
        own_params = true;
        break;
      }
      if (!starts_with(s, q, "::")) return unchanged;  // Go's `pkg.(*T).M`
      // An enclosing function of a local name: kept with its parameters and qualifiers.
      if (!copy_without_templates(s, k, q, out)) return unchanged;
      out += "::";
      k = q + 2;
      conversion = false;
      continue;
    }
    if (c == '[') {
      if (!starts_with(s, k, "[abi:")) return unchanged;  // Go's `F[...]`, perf's `[unknown]`
      const size_t g = group_end(s, k);
      if (g == kNpos) return unchanged;
      out.append(s.substr(k, g - k));
      k = g;
      continue;
    }
    if (c == '{') {  // {lambda(int)#1}, {unnamed type#1}
      const size_t g = group_end(s, k);
      if (g == kNpos || !copy_without_templates(s, k, g, out)) return unchanged;
      k = g;
      continue;
    }
    if (c == '>' || c == ')' || c == ']' || c == '}') return unchanged;
    if (c == ' ' && !conversion) {
      return_type = true;
      name_start = out.size() + 1;
    }
    out += c;
    ++k;
  }
  if (return_type && !own_params) return unchanged;  // text with spaces, not a function
  std::string result = out.substr(name_start);
  if (!name_start_ok(result) || result.back() == ':' || result.back() == ' ') return unchanged;
  return result;
}

}  // namespace perfkit
