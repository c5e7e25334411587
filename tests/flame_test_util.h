// Helpers for the convert, merge and flame tests: profiles made in code, inputs read from
// strings, stack multisets to compare two profiles, golden files with PERFKIT_BLESS.
#pragma once
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "formats/registry.h"
#include "tests/pprof_test_util.h"

namespace perfkit::testing {

// A profile from root-first stacks of function names, one value column.
inline Profile make_stacks(const std::vector<std::pair<std::vector<std::string>, int64_t>>& stacks,
                           const char* type = "cpu", const char* unit = "nanoseconds") {
  Profile p;
  p.path = "made";
  p.format = "pprof";
  p.value_types.push_back({p.strings.intern(type), p.strings.intern(unit)});
  for (const auto& [names, v] : stacks) {
    StackId s = kEmptyStack;
    for (const auto& n : names) s = p.child(s, p.intern_frame({p.strings.intern(n), 0, 0, false}));
    p.add_sample(s, &v);
  }
  return p;
}

inline Profile read_text(const std::string& text, const std::string& name, const std::string& format = "") {
  ReadOptions o;
  o.input_format = format;
  return read_profile(buffer_of(text, name), o);
}

// (stack of function names joined by ';') -> summed value of column `type`, nonzero only.
inline std::map<std::string, int64_t> stack_values(const Profile& p, std::string_view type) {
  std::map<std::string, int64_t> out;
  int vi = p.find_value_type(type);
  REQUIRE(vi >= 0);
  for (size_t i = 0; i < p.samples().size(); ++i) {
    std::string key;
    for (FrameId f : p.stack_frames(p.samples()[i].stack)) {
      if (!key.empty()) key += ';';
      key += p.str(p.frames()[f].function);
    }
    out[key] += p.value(i, vi);
  }
  for (auto it = out.begin(); it != out.end();) it = it->second == 0 ? out.erase(it) : std::next(it);
  return out;
}

// Compares text with testdata/golden/<rel>; PERFKIT_BLESS=1 rewrites it. On a mismatch writes
// <golden>.actual and reports the first differing line.
inline void check_golden(const std::string& rel, const std::string& text) {
  std::string path = source_path("testdata/golden/" + rel);
  if (std::getenv("PERFKIT_BLESS")) {
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  std::string want = file_bytes(path);
  if (want == text) return;
  std::ofstream(path + ".actual", std::ios::binary) << text;
  size_t line = 1, i = 0;
  while (i < want.size() && i < text.size() && want[i] == text[i]) line += want[i++] == '\n';
  FAIL_CHECK("golden " << rel << " differs at line " << line << " (see " << path << ".actual)");
}

}  // namespace perfkit::testing
